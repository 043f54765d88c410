#pragma once
// Finding people the way a person at a door types: any word of the name or
// its start, in any order, case and accents ignored, one typo forgiven,
// best first. Company names match too, ranked below names.
//
// Thread-safety: immutable after build(); share one through
// shared_ptr<const SearchIndex> across threads freely.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

struct SearchDoc {
  std::int64_t id = 0;
  std::string name;
  std::string company;
};

struct SearchHit {
  std::int64_t id = 0;
  int score = 0;  // higher is better
};

class SearchIndex {
 public:
  static std::shared_ptr<const SearchIndex> build(std::vector<SearchDoc> docs);
  // Every query word must match a word of the name (or company); each may
  // be a prefix. Words of 4+ letters also match with one typo.
  std::vector<SearchHit> find(std::string_view query, std::size_t limit = 10) const;
  std::size_t size() const { return ids_.size(); }

 private:
  struct Posting {
    std::uint32_t doc;
    std::uint8_t word;   // position of the word in the name (0: first)
    std::uint8_t field;  // 0: name, 1: company
  };
  SearchIndex() = default;

  std::vector<std::string> keys_;       // sorted, unique folded words
  std::vector<std::uint32_t> offsets_;  // keys_[i]'s postings: [offsets_[i], offsets_[i+1])
  std::vector<Posting> postings_;
  std::vector<std::int64_t> ids_;
  std::vector<std::string> folded_names_;  // for exact-name bonus and stable ties
};

}  // namespace fd
