#pragma once
// An engine on a store of its own with a list of people, as most tests of
// what sits on the engine need one: "Person Number<i>", ticket "T<i>",
// external id "<i>", for i = 1..people, on the event "june".
#include <filesystem>
#include <memory>

#include "engine/Engine.h"

namespace fd::test {

struct TestEngineOptions {
  int people = 3;
  int capacity = 0;
  std::string door = "door 1";
  bool exit_door = false;
};

// `store`: a file (kept, so another process or engine may open it too) or
// ":memory:".
std::unique_ptr<Engine> engine_with_people(const std::filesystem::path& store,
                                           TestEngineOptions o = {});

}  // namespace fd::test
