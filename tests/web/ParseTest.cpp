// The parsers of what browsers send: what they accept, what they refuse.
#include <doctest/doctest.h>

#include "web/Parse.h"

using namespace fd;

TEST_CASE("query strings and forms decode escapes and plus signs") {
  auto f = parse_fields("q=J%C3%BCrgen+M&empty=&flag&x=1");
  REQUIRE(f.ok());
  CHECK(field(*f, "q") == "Jürgen M");
  CHECK(field(*f, "empty").empty());
  CHECK(f->size() == 4);
  CHECK_FALSE(parse_fields("q=%zz").ok());
  CHECK_FALSE(parse_fields("q=%4").ok());
  CHECK_FALSE(parse_fields("q=%ff%fe").ok());  // not UTF-8
  std::string many;
  for (int i = 0; i < 100; ++i) many += "a=1&";
  CHECK_FALSE(parse_fields(many).ok());
  CHECK_FALSE(parse_fields(std::string(20000, 'a')).ok());
}

TEST_CASE("cookies - first wins - junk skipped") {
  auto c = parse_cookies(" fd_session=abc; other=\"q\"; junk; =x; fd_session=zzz");
  CHECK(c["fd_session"] == "abc");
  CHECK(c["other"] == "q");
  CHECK(c.count("junk") == 0);
  CHECK(parse_cookies(std::string(9000, 'a')).empty());
}

TEST_CASE("JSON bodies are one flat object") {
  auto j = parse_json_object(R"({"attendee_id": 42, "name": "Ana", "ok": true, "n": null})");
  REQUIRE(j.ok());
  CHECK((*j)["attendee_id"] == "42");
  CHECK((*j)["name"] == "Ana");
  CHECK((*j)["ok"] == "true");
  CHECK((*j)["n"].empty());
  CHECK_FALSE(parse_json_object(R"({"a": {"b": 1}})").ok());
  CHECK_FALSE(parse_json_object(R"([1,2])").ok());
  CHECK_FALSE(parse_json_object(std::string(100000, '[')).ok());
  CHECK_FALSE(parse_json_object("{\"a\": \"\xff\"}").ok());
  CHECK_FALSE(parse_json_object("not json").ok());
}

TEST_CASE("safe paths and route patterns") {
  CHECK(is_safe_path("/api/stats"));
  CHECK(is_safe_path("/"));
  CHECK_FALSE(is_safe_path("/../x"));
  CHECK_FALSE(is_safe_path("/a/./b"));
  CHECK_FALSE(is_safe_path("/a//b"));
  CHECK_FALSE(is_safe_path("relative"));
  CHECK_FALSE(is_safe_path("/a\\b"));
  CHECK_FALSE(is_safe_path(std::string("/a\0b", 4)));
  std::map<std::string, std::string> p;
  CHECK(match_route("/api/attendees/:id/reprint", "/api/attendees/42/reprint", p));
  CHECK(p["id"] == "42");
  CHECK_FALSE(match_route("/api/attendees/:id", "/api/attendees/", p));
  CHECK_FALSE(match_route("/api/stats", "/api/stats/x", p));
  CHECK(match_route("/doors/*", "/doors/log/since/5", p));
  CHECK(p["*"] == "log/since/5");
  CHECK(parse_id("42") == 42);
  CHECK(parse_id("-1") == 0);
  CHECK(parse_id("4x") == 0);
}

TEST_CASE("a request is whole once its head and its body have come - whatever the case") {
  constexpr std::size_t kHead = 8192, kBody = 64 * 1024;
  const std::string get = "GET /api/stats HTTP/1.1\r\nHost: door\r\n\r\n";
  for (std::size_t cut = 0; cut < get.size(); ++cut)
    CHECK_FALSE(request_whole(get.substr(0, cut), kHead, kBody));
  CHECK(request_whole(get, kHead, kBody));
  CHECK(request_whole(get + "GET /next", kHead, kBody));  // pipelined: the first is whole
  const std::string post =
      "POST /api/checkin HTTP/1.1\r\ncontent-LENGTH:  18 \r\n\r\n{\"attendee_id\": 4}";
  for (std::size_t cut = 0; cut < post.size(); ++cut)
    CHECK_FALSE(request_whole(post.substr(0, cut), kHead, kBody));
  CHECK(request_whole(post, kHead, kBody));
  // What a thread must answer or read itself goes on at once.
  CHECK(request_whole("POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n", kHead, kBody));
  CHECK(request_whole("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", kHead, kBody));
  CHECK(request_whole("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", kHead, kBody));
  CHECK(request_whole("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n", kHead,
                      kBody));
  CHECK(request_whole("GET / HTTP/1.1\r\nX-Pad: " + std::string(kHead + 4096, 'a'), kHead, kBody));
  CHECK_FALSE(request_whole("GET / HTTP/1.1\r\nX-Pad: " + std::string(kHead, 'a'), kHead, kBody));
}
