#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "search/SearchIndex.h"
#include "search/Synthetic.h"

using namespace fd;

namespace {
std::shared_ptr<const SearchIndex> door() {
  return SearchIndex::build({
      {1, "José García", "Acme"},
      {2, "Anna Müller", "Beta GmbH"},
      {3, "Иван Петров", ""},
      {4, "王芳", "东京"},
      {5, "Josephine Baker", "Globex"},
      {6, "Garcia Lorca", ""},
      {7, "María de los Ángeles Fernández-Villaverde", "Universidad"},
      {8, "Seán O'Brien", "Hooli"},
      {9, "Anna Müller", "Gamma"},
      {10, "Mohammed Jose", "Acme"},
  });
}
std::vector<std::int64_t> ids(const std::vector<SearchHit>& hits) {
  std::vector<std::int64_t> out;
  for (const auto& h : hits) out.push_back(h.id);
  return out;
}
bool contains(const std::vector<SearchHit>& hits, std::int64_t id) {
  for (const auto& h : hits)
    if (h.id == id) return true;
  return false;
}
}  // namespace

TEST_CASE("case and accents do not matter") {
  const auto idx = door();
  CHECK(ids(idx->find("jose", 3)).front() == 1);
  CHECK(ids(idx->find("JOSÉ GARCÍA")).front() == 1);
  CHECK(contains(idx->find("fernandez"), 7));
  CHECK(contains(idx->find("angeles"), 7));
}

TEST_CASE("Müller is found as muller and as mueller - namesakes both") {
  const auto idx = door();
  for (const char* q : {"muller", "mueller", "Müller", "anna mul"}) {
    const auto hits = idx->find(q);
    CHECK_MESSAGE(contains(hits, 2), q);
    CHECK_MESSAGE(contains(hits, 9), q);
  }
}

TEST_CASE("other scripts: Cyrillic by transliteration and as written - Han by any part") {
  const auto idx = door();
  CHECK(ids(idx->find("ivan")) == std::vector<std::int64_t>{3});
  CHECK(ids(idx->find("Иван")) == std::vector<std::int64_t>{3});
  CHECK(ids(idx->find("петр")) == std::vector<std::int64_t>{3});
  CHECK(ids(idx->find("王")) == std::vector<std::int64_t>{4});
  CHECK(ids(idx->find("芳")) == std::vector<std::int64_t>{4});
}

TEST_CASE("first or last name or their start - every word must match") {
  const auto idx = door();
  CHECK(ids(idx->find("garc")).size() == 2);
  CHECK(ids(idx->find("jos gar")) == std::vector<std::int64_t>{1});
  CHECK(ids(idx->find("garcia jose")) == std::vector<std::int64_t>{1});
  CHECK(idx->find("jose smith").empty());
  CHECK(contains(idx->find("obrien"), 8));
  CHECK(contains(idx->find("o'brien"), 8));
}

TEST_CASE("one typo is forgiven for words of four letters or more") {
  const auto idx = door();
  CHECK(contains(idx->find("garica"), 1));     // transposition
  CHECK(contains(idx->find("muler"), 2));      // deletion
  CHECK(contains(idx->find("josephne"), 5));   // deletion
  CHECK(contains(idx->find("jodephine"), 5));  // substitution
  CHECK(idx->find("jse").empty());             // too short to guess
  CHECK(idx->find("gxrxia").empty());          // two typos is another name
}

TEST_CASE("ranking: exact before prefix before typo - names before companies") {
  const auto idx = door();
  // "jose": José García (first word exact) before Mohammed Jose (last word
  // exact) before Josephine (prefix).
  const auto hits = ids(idx->find("jose"));
  REQUIRE(hits.size() == 3);
  CHECK(hits[0] == 1);
  CHECK(hits[1] == 10);
  CHECK(hits[2] == 5);
  // A company match comes after people whose name matches.
  const auto acme = ids(idx->find("acme"));
  CHECK(acme.size() == 2);
  const auto garcia = ids(idx->find("garcia"));
  REQUIRE(garcia.size() == 2);  // both García and Garcia, whole-word matches, first
  CHECK(garcia[0] == 6);        // given-name position lifts Garcia Lorca a little
  CHECK(garcia[1] == 1);
  CHECK(idx->find("").empty());
  CHECK(idx->find("  -- ").empty());
}

TEST_CASE("results are stable and limited") {
  const auto idx = door();
  CHECK(idx->find("a", 2).size() == 2);
  CHECK(ids(idx->find("anna")) == ids(idx->find("anna")));
}

TEST_CASE("a keystroke on 100000 attendees stays well inside a frame") {
  // Not a benchmark (see `frontdesk bench search`): a guard against an
  // accidental quadratic path, with a generous bound for a loaded CI machine.
  const auto idx = SearchIndex::build(synthetic_people(100000, 1));
  CHECK(idx->size() == 100000);
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t found = 0;
  for (const char* q :
       {"m", "mu", "mul", "mull", "mulle", "muller", "anna mul", "garica", "ivan", "王"})
    found += idx->find(q).size();
  const auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(found > 0);
  CHECK(ms < 500.0);
}

TEST_CASE(
    "a layered index answers like a full build - changed people are found by their new names "
    "only") {
  std::vector<SearchDoc> docs = synthetic_people(3000, 5);
  auto index = SearchIndex::build(docs);
  std::mt19937 rng(9);
  // Three re-imports: renamed people, new companies, new people.
  for (int round = 0; round < 3; ++round) {
    std::vector<SearchDoc> changed;
    for (int k = 0; k < 40; ++k) {
      SearchDoc& d = docs[rng() % docs.size()];
      if (k % 2)
        d.name = "Renamed" + std::to_string(round) + " Person" + std::to_string(k);
      else
        d.company = "Newco " + std::to_string(round);
      changed.push_back(d);
    }
    for (int k = 0; k < 20; ++k) {
      docs.push_back({static_cast<std::int64_t>(100000 + round * 100 + k),
                      "Latecomer " + std::to_string(k), ""});
      changed.push_back(docs.back());
    }
    index = SearchIndex::layer(index, changed);
  }
  CHECK(index->depth() == 3);
  const auto full = SearchIndex::build(docs);
  for (const char* q :
       {"renamed1", "latecomer", "newco", "maria", "garc", "wang", "li", "anna sch"}) {
    auto ids = [&](const std::shared_ptr<const SearchIndex>& i) {
      std::vector<std::int64_t> out;
      for (const SearchHit& h : i->find(q, 500)) out.push_back(h.id);
      std::sort(out.begin(), out.end());
      return out;
    };
    CHECK_MESSAGE(ids(index) == ids(full), "query " << std::string(q) << ": " << ids(index).size()
                                                    << " vs " << ids(full).size());
  }
  // Someone renamed is no longer found by the old name.
  const SearchDoc before{7, "Zebedee Quarrington", ""};
  auto small = SearchIndex::build({before, {8, "Ana García", ""}});
  small = SearchIndex::layer(small, {{7, "Zoe Quinn", ""}});
  CHECK(small->find("zebedee").empty());
  REQUIRE(small->find("zoe quinn").size() == 1);
  CHECK(small->find("zoe quinn")[0].id == 7);
}
