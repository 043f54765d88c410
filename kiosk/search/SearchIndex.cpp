#include "search/SearchIndex.h"

#include <algorithm>
#include <unordered_map>

#include "text/Fold.h"

namespace fd {
namespace {

// Scores of one query word against one key. Exact beats prefix beats typo;
// names beat companies; the first word of a name (usually the given name)
// gets a small lift.
constexpr int kExact = 100, kPrefix = 70, kTypo = 40, kPrefixTypo = 35;
constexpr int kCompanyPenalty = 55, kFirstWordBonus = 5, kWholeNameBonus = 60;

// True when a and b differ by at most one edit (substitution, insertion,
// deletion, or swapping two neighbours).
bool within_one_edit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one extra char at the end
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // insertion in b
}

bool prefix_within_one_edit(std::string_view typed, std::string_view key) {
  for (std::size_t len : {typed.size() - 1, typed.size(), typed.size() + 1})
    if (len <= key.size() && len > 0 && within_one_edit(typed, key.substr(0, len))) return true;
  return false;
}

}  // namespace

std::shared_ptr<const SearchIndex> SearchIndex::build(std::vector<SearchDoc> docs) {
  std::shared_ptr<SearchIndex> idx(new SearchIndex());
  std::unordered_map<std::string, std::uint32_t> key_ids;
  struct Raw {
    std::uint32_t key;
    Posting p;
  };
  std::vector<Raw> raw;
  raw.reserve(docs.size() * 5);
  idx->ids_.reserve(docs.size());
  idx->folded_names_.reserve(docs.size());
  for (std::uint32_t d = 0; d < docs.size(); ++d) {
    idx->ids_.push_back(docs[d].id);
    idx->folded_names_.push_back(fold(docs[d].name));
    for (std::uint8_t field = 0; field < 2; ++field) {
      const auto words = fold_words(field == 0 ? docs[d].name : docs[d].company);
      for (std::size_t w = 0; w < words.size(); ++w) {
        for (const std::string& k : words[w]) {
          auto [it, added] = key_ids.try_emplace(k, static_cast<std::uint32_t>(key_ids.size()));
          raw.push_back(
              {it->second,
               Posting{d, static_cast<std::uint8_t>(std::min<std::size_t>(w, 255)), field}});
        }
      }
    }
  }
  // Sort the dictionary, then bucket postings by their key's rank.
  std::vector<std::pair<std::string_view, std::uint32_t>> order;
  order.reserve(key_ids.size());
  for (const auto& [k, id] : key_ids) order.emplace_back(k, id);
  std::sort(order.begin(), order.end());
  std::vector<std::uint32_t> rank(order.size());
  idx->keys_.reserve(order.size());
  for (std::uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r].second] = r;
    idx->keys_.emplace_back(order[r].first);
  }
  idx->offsets_.assign(order.size() + 1, 0);
  for (const Raw& r : raw) ++idx->offsets_[rank[r.key] + 1];
  for (std::size_t i = 1; i < idx->offsets_.size(); ++i) idx->offsets_[i] += idx->offsets_[i - 1];
  idx->postings_.resize(raw.size());
  std::vector<std::uint32_t> fill(idx->offsets_.begin(), idx->offsets_.end() - 1);
  for (const Raw& r : raw) idx->postings_[fill[rank[r.key]]++] = r.p;
  return idx;
}

std::shared_ptr<const SearchIndex> SearchIndex::layer(std::shared_ptr<const SearchIndex> base,
                                                      std::vector<SearchDoc> docs) {
  // One doc per id: the last one given is the person as they are now.
  std::vector<SearchDoc> latest;
  latest.reserve(docs.size());
  std::unordered_map<std::int64_t, std::size_t> at;
  for (SearchDoc& d : docs) {
    if (auto it = at.find(d.id); it != at.end()) {
      latest[it->second] = std::move(d);
    } else {
      at.emplace(d.id, latest.size());
      latest.push_back(std::move(d));
    }
  }
  auto top = std::const_pointer_cast<SearchIndex>(build(std::move(latest)));
  top->sorted_ids_ = top->ids_;
  std::sort(top->sorted_ids_.begin(), top->sorted_ids_.end());
  if (base) {
    top->depth_ = base->depth_ + 1;
    top->layered_ = top->ids_.size() + (base->base_ ? base->layered_ : 0);
  }
  top->base_ = std::move(base);
  return top;
}

std::vector<SearchHit> SearchIndex::find(std::string_view query, std::size_t limit) const {
  std::vector<std::string> words = fold_query(query);
  std::erase_if(words, [](const std::string& w) { return w.empty(); });
  if (words.empty() || limit == 0) return {};
  if (words.size() > 16) words.resize(16);  // nobody's name has more words
  std::vector<SearchHit> out = find_here(words, limit);
  if (!base_) return out;
  // The base's hits for people this layer changed are stale: skip them,
  // asking the base for enough more to still fill `limit`.
  for (const SearchHit& h : base_->find(query, limit + sorted_ids_.size()))
    if (!std::binary_search(sorted_ids_.begin(), sorted_ids_.end(), h.id)) out.push_back(h);
  std::stable_sort(out.begin(), out.end(),
                   [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<SearchHit> SearchIndex::find_here(const std::vector<std::string>& words,
                                              std::size_t limit) const {
  if (ids_.empty()) return {};

  const std::size_t n = ids_.size();
  std::vector<int> total(n, 0);
  std::vector<std::uint8_t> matched(n, 0);  // query words matched so far
  std::vector<std::int16_t> best(n, 0);
  std::vector<std::uint32_t> touched;

  for (std::size_t qi = 0; qi < words.size(); ++qi) {
    const std::string& w = words[qi];
    touched.clear();
    auto credit = [&](std::size_t key, int score) {
      for (std::uint32_t p = offsets_[key]; p < offsets_[key + 1]; ++p) {
        const Posting& post = postings_[p];
        if (matched[post.doc] != qi) continue;  // missed an earlier word
        const int s = std::max(1, score - (post.field ? kCompanyPenalty : 0) +
                                      (post.field == 0 && post.word == 0 ? kFirstWordBonus : 0));
        if (best[post.doc] == 0) touched.push_back(post.doc);
        if (s > best[post.doc]) best[post.doc] = static_cast<std::int16_t>(s);
      }
    };
    // Exact and prefix matches: one contiguous range of the sorted keys.
    const auto lo = std::lower_bound(keys_.begin(), keys_.end(), w);
    auto hi = lo;
    while (hi != keys_.end() && hi->compare(0, w.size(), w) == 0) ++hi;
    for (auto it = lo; it != hi; ++it)
      credit(static_cast<std::size_t>(it - keys_.begin()), *it == w ? kExact : kPrefix);
    // One typo, for words long enough that a typo is not a different name.
    if (w.size() >= 4 && touched.size() < limit * 4) {
      for (std::size_t k = 0; k < keys_.size(); ++k) {
        const std::string& key = keys_[k];
        if (key.size() + 1 < w.size()) continue;
        if (key.compare(0, w.size(), w) == 0) continue;  // already credited
        if (within_one_edit(w, key))
          credit(k, kTypo);
        else if (key.size() > w.size() && prefix_within_one_edit(w, key))
          credit(k, kPrefixTypo);
      }
    }
    for (std::uint32_t d : touched) {
      total[d] += best[d];
      best[d] = 0;
      matched[d] = static_cast<std::uint8_t>(qi + 1);
    }
    if (touched.empty()) return {};
  }

  const std::string whole = [&] {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
  }();
  std::vector<std::uint32_t> hits;
  for (std::uint32_t d : touched) {
    if (folded_names_[d] == whole) total[d] += kWholeNameBonus;
    hits.push_back(d);
  }
  const auto better = [&](std::uint32_t a, std::uint32_t b) {
    if (total[a] != total[b]) return total[a] > total[b];
    if (folded_names_[a] != folded_names_[b]) return folded_names_[a] < folded_names_[b];
    return ids_[a] < ids_[b];
  };
  const std::size_t k = std::min(limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(k), hits.end(), better);
  std::vector<SearchHit> out;
  out.reserve(k);
  for (std::size_t i = 0; i < k; ++i) out.push_back({ids_[hits[i]], total[hits[i]]});
  return out;
}

}  // namespace fd
