#pragma once
// frontdesk bench web (WebBench.cpp): fifty phones on live views and twenty
// searches a second while the door checks in one person a second.
#include <string>

namespace fd {
int bench_web(const std::string& dir, int seconds, int phones, int searches_per_second);
}
