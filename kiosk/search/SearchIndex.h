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
  // `base` with `docs` added, or replacing base's docs of the same ids: only
  // `docs` are indexed, so a re-import that changed 1% of 100,000 people or
  // a walk-in costs milliseconds, not a full build. Layers stack; whoever
  // holds every doc rebuilds once depth() or the layers grow large.
  static std::shared_ptr<const SearchIndex> layer(std::shared_ptr<const SearchIndex> base,
                                                  std::vector<SearchDoc> docs);
  // Every query word must match a word of the name (or company); each may
  // be a prefix. Words of 4+ letters also match with one typo.
  std::vector<SearchHit> find(std::string_view query, std::size_t limit = 10) const;
  std::size_t size() const { return ids_.size(); }  // docs in this layer
  int depth() const { return depth_; }              // layers above a full build
  std::size_t layered_docs() const { return layered_; }

 private:
  struct Posting {
    std::uint32_t doc;
    std::uint8_t word;   // position of the word in the name (0: first)
    std::uint8_t field;  // 0: name, 1: company
  };
  SearchIndex() = default;
  std::vector<SearchHit> find_here(const std::vector<std::string>& words, std::size_t limit) const;

  std::vector<std::string> keys_;       // sorted, unique folded words
  std::vector<std::uint32_t> offsets_;  // keys_[i]'s postings: [offsets_[i], offsets_[i+1])
  std::vector<Posting> postings_;
  std::vector<std::int64_t> ids_;
  std::vector<std::string> folded_names_;  // for exact-name bonus and stable ties
  // Layers: this index's docs hide the base's docs with the same ids.
  std::shared_ptr<const SearchIndex> base_;
  std::vector<std::int64_t> sorted_ids_;  // this layer's ids, sorted, to hide the base's
  int depth_ = 0;
  std::size_t layered_ = 0;  // docs in this layer and the layers below it, down to a full build
};

}  // namespace fd
