#include "report/People.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "text/Fold.h"

namespace fd {

std::int64_t PeopleGroups::group(std::int64_t person_id) const {
  if (person_id == 0) return 0;
  auto it = group_of.find(person_id);
  return it == group_of.end() ? person_id : it->second;
}

const PersonGroup* PeopleGroups::find(std::int64_t group_id) const {
  auto it = std::lower_bound(groups.begin(), groups.end(), group_id,
                             [](const PersonGroup& g, std::int64_t id) { return g.id < id; });
  return it != groups.end() && it->id == group_id ? &*it : nullptr;
}

namespace {

// Union-find over identities, refusing any union that would put two
// records an organizer kept apart into one person.
class Identities {
 public:
  // record: a people record (an e-mail seen only beside another id is not).
  std::size_t node(const std::string& identity, bool record = false) {
    auto [it, added] = index_.emplace(identity, parent_.size());
    if (added) {
      parent_.push_back(parent_.size());
      how_.emplace_back();
      records_.push_back(0);
    }
    if (record) ++records_[find(it->second)];
    return it->second;
  }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  bool together(std::size_t a, std::size_t b) { return find(a) == find(b); }
  void keep_apart(std::size_t a, std::size_t b) { apart_.emplace_back(a, b); }
  bool unite(std::size_t a, std::size_t b, const std::string& how) {
    std::size_t ra = find(a), rb = find(b);
    if (ra == rb) return true;
    for (auto [x, y] : apart_) {
      const std::size_t rx = find(x), ry = find(y);
      if ((rx == ra && ry == rb) || (rx == rb && ry == ra)) return false;
    }
    if (ra > rb) std::swap(ra, rb);
    parent_[rb] = ra;
    how_[ra].insert(how_[rb].begin(), how_[rb].end());
    // Say how records were joined, not how a record met its own e-mail.
    if (records_[ra] && records_[rb]) how_[ra].insert(how);
    records_[ra] += records_[rb];
    return true;
  }
  const std::set<std::string>& how(std::size_t root) const { return how_[root]; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::size_t> parent_;
  std::vector<std::set<std::string>> how_;
  std::vector<int> records_;  // people records under each root
  std::vector<std::pair<std::size_t, std::size_t>> apart_;
};

// The name as evidence: folded words, or empty when it is one word only
// ("Ana" says too little).
std::string name_key(const std::string& name) {
  const std::vector<std::string> words = fold_query(name);
  if (words.size() < 2) return "";
  std::string key;
  for (const std::string& w : words) key += (key.empty() ? "" : " ") + w;
  return key;
}

}  // namespace

PeopleGroups group_people(const PeopleFacts& facts) {
  Identities ids;
  std::unordered_map<std::int64_t, std::size_t> node_of;  // people record -> node
  for (const PersonRecord& p : facts.people) node_of[p.id] = ids.node(p.identity, true);
  const auto node = [&](std::int64_t person) -> const std::size_t* {
    auto it = node_of.find(person);
    return it == node_of.end() ? nullptr : &it->second;
  };

  // 1. Organizers, newest decision first: an older decision that contradicts
  // a newer one is ignored.
  std::vector<PeopleDecision> decisions = facts.decisions;
  std::sort(decisions.begin(), decisions.end(),
            [](const PeopleDecision& x, const PeopleDecision& y) { return x.seq > y.seq; });
  for (const PeopleDecision& d : decisions) {
    const std::size_t* a = node(d.a);
    const std::size_t* b = node(d.b);
    if (!a || !b) continue;
    if (d.same) {
      ids.unite(*a, *b, "organizer");
    } else if (!ids.together(*a, *b)) {
      ids.keep_apart(*a, *b);
    }
  }
  // 2. Shared identifiers.
  for (const IdentityLink& l : facts.links)
    if (const std::size_t* p = node(l.person_id)) ids.unite(*p, ids.node(l.identity), "e-mail");

  // 3. Names, where they were never two people at one event.
  std::map<std::string, std::vector<std::int64_t>> by_name;  // ordered: deterministic
  for (const PersonRecord& p : facts.people)
    if (std::string key = name_key(p.name); !key.empty()) by_name[key].push_back(p.id);
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> events_of;
  for (const Appearance& a : facts.appearances) events_of[a.person_id].push_back(a.event_id);
  for (const auto& [key, records] : by_name) {
    if (records.size() < 2) continue;
    // Which person (as joined so far) was at which event under this name.
    std::map<std::int64_t, std::size_t> at_event;  // event -> root
    bool two_at_once = false;
    for (std::int64_t r : records) {
      const std::size_t root = ids.find(node_of[r]);
      for (std::int64_t ev : events_of[r]) {
        auto [it, added] = at_event.emplace(ev, root);
        if (!added && it->second != root) two_at_once = true;
      }
    }
    if (two_at_once) continue;
    for (std::size_t i = 1; i < records.size(); ++i)
      ids.unite(node_of[records[0]], node_of[records[i]], "name");
  }

  PeopleGroups out;
  std::map<std::size_t, std::vector<const PersonRecord*>> members;  // root -> records by id
  for (const PersonRecord& p : facts.people) members[ids.find(node_of[p.id])].push_back(&p);
  for (const auto& [root, records] : members) {
    PersonGroup g;
    g.id = records.front()->id;
    g.name = records.front()->name;
    for (const PersonRecord* p : records) {
      g.members.push_back(p->id);
      g.identities.push_back(p->identity);
      out.group_of[p->id] = g.id;
    }
    if (records.size() > 1) {
      for (const char* how : {"organizer", "e-mail", "name"})
        if (ids.how(root).count(how)) g.joined_by.push_back(how);
    }
    out.groups.push_back(std::move(g));
  }
  std::sort(out.groups.begin(), out.groups.end(),
            [](const PersonGroup& a, const PersonGroup& b) { return a.id < b.id; });
  return out;
}

}  // namespace fd
