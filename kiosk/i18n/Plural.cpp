#include "i18n/Plural.h"

#include <cctype>
#include <cstring>

namespace fd {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Recursive descent over C's precedence levels, lowest first.
class Parser {
 public:
  Parser(std::string_view text, std::vector<PluralRule::Node>& nodes) : s_(text), nodes_(nodes) {}

  bool parse(int& root) {
    root = ternary();
    skip();
    return ok_ && pos_ == s_.size();
  }

 private:
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(std::string_view op) {
    skip();
    if (s_.substr(pos_, op.size()) != op) return false;
    // "<" must not take the first half of "<=", nor "!" that of "!=".
    if (op.size() == 1 && pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' && std::strchr("<>!=", op[0]))
      return false;
    pos_ += op.size();
    return true;
  }
  int add(char op, char op2, int a, int b = -1, int c = -1) {
    nodes_.push_back({op, op2, 0, a, b, c});
    return static_cast<int>(nodes_.size()) - 1;
  }
  int fail() {
    ok_ = false;
    return add('#', 0, -1);
  }
  // Each level: one operand, then operators of that level.
  template <typename Next>
  int level(std::initializer_list<std::string_view> ops, Next next) {
    int left = (this->*next)();
    for (bool more = true; more && ok_;) {
      more = false;
      for (std::string_view op : ops)
        if (eat(op)) {
          const int right = (this->*next)();
          left = add(op[0], op.size() > 1 ? op[1] : 0, left, right);
          more = true;
          break;
        }
    }
    return left;
  }
  int ternary() {
    const int cond = or_();
    if (!eat("?")) return cond;
    const int yes = ternary();
    if (!eat(":")) return fail();
    const int no = ternary();
    return add('?', 0, cond, yes, no);
  }
  int or_() { return level({"||"}, &Parser::and_); }
  int and_() { return level({"&&"}, &Parser::equality); }
  int equality() { return level({"==", "!="}, &Parser::relation); }
  int relation() { return level({"<=", ">=", "<", ">"}, &Parser::sum); }
  int sum() { return level({"+", "-"}, &Parser::product); }
  int product() { return level({"*", "/", "%"}, &Parser::unary); }
  int unary() {
    if (eat("!")) return add('!', 0, unary());
    return primary();
  }
  int primary() {
    skip();
    if (++depth_ > 64) return fail();  // a rule is a line, not a tower
    int r;
    if (eat("(")) {
      r = ternary();
      if (!eat(")")) r = fail();
    } else if (pos_ < s_.size() && s_[pos_] == 'n') {
      ++pos_;
      r = add('n', 0, -1);
    } else if (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      std::uint64_t v = 0;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])) &&
             v < 1'000'000'000)
        v = v * 10 + static_cast<std::uint64_t>(s_[pos_++] - '0');
      r = add('#', 0, -1);
      nodes_[static_cast<std::size_t>(r)].value = v;
    } else {
      r = fail();
    }
    --depth_;
    return r;
  }

  std::string_view s_;
  std::vector<PluralRule::Node>& nodes_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  bool ok_ = true;
};

}  // namespace

PluralRule::PluralRule() : PluralRule(*parse("nplurals=2; plural=(n != 1);")) {}

Result<PluralRule> PluralRule::parse(std::string_view header) {
  PluralRule r{Blank{}};
  r.header_ = std::string(trim(header));
  r.forms_ = 0;
  std::string_view expr;
  std::string_view rest = header;
  while (!rest.empty()) {
    const std::size_t semi = rest.find(';');
    const std::string_view part = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos)
      return Error{"i18n.plural", "not key=value: " + std::string(part)};
    const std::string_view key = trim(part.substr(0, eq)), value = trim(part.substr(eq + 1));
    if (key == "nplurals") {
      int n = 0;
      for (char ch : value) {
        if (!std::isdigit(static_cast<unsigned char>(ch)) || n > 10) {
          n = 0;
          break;
        }
        n = n * 10 + (ch - '0');
      }
      if (n < 1 || n > 10)
        return Error{"i18n.plural",
                     "nplurals must be a number from 1 to 10, not " + std::string(value)};
      r.forms_ = n;
    } else if (key == "plural") {
      expr = value;
    } else {
      return Error{"i18n.plural", "unknown part \"" + std::string(key) +
                                      "\" (it has nplurals=N; plural=EXPRESSION;)"};
    }
  }
  if (r.forms_ == 0 || expr.empty())
    return Error{"i18n.plural",
                 "it needs both nplurals=N and plural=EXPRESSION, e.g. "
                 "\"nplurals=2; plural=(n != 1);\""};
  int root = -1;
  std::vector<Node> nodes;
  Parser p(expr, nodes);
  if (!p.parse(root))
    return Error{"i18n.plural", "cannot read the expression \"" + std::string(expr) +
                                    "\" (C syntax over n: n%10==1 && n%100!=11 ? 0 : 1)"};
  // Node 0 is the root: keep the tree as built, and remember where its root is.
  r.nodes_ = std::move(nodes);
  r.nodes_.insert(r.nodes_.begin(), Node{'(', 0, 0, root + 1});
  for (std::size_t i = 1; i < r.nodes_.size(); ++i)
    for (int* k : {&r.nodes_[i].a, &r.nodes_[i].b, &r.nodes_[i].c})
      if (*k >= 0) ++*k;
  return r;
}

std::uint64_t PluralRule::eval(int i, std::uint64_t n) const {
  const Node& x = nodes_[static_cast<std::size_t>(i)];
  const auto a = [&] { return eval(x.a, n); };
  const auto b = [&] { return eval(x.b, n); };
  switch (x.op) {
    case '(': return a();
    case 'n': return n;
    case '#': return x.value;
    case '?': return a() ? b() : eval(x.c, n);
    case '!': return x.op2 == '=' ? a() != b() : !a();
    case '|': return a() || b();
    case '&': return a() && b();
    case '=': return a() == b();
    case '<': return x.op2 == '=' ? a() <= b() : a() < b();
    case '>': return x.op2 == '=' ? a() >= b() : a() > b();
    case '+': return a() + b();
    case '-': return a() - b();
    case '*': return a() * b();
    case '/': {
      const auto d = b();
      return d ? a() / d : 0;
    }
    case '%': {
      const auto d = b();
      return d ? a() % d : 0;
    }
  }
  return 0;
}

int PluralRule::form(std::uint64_t n) const {
  const std::uint64_t f = eval(0, n);
  return f >= static_cast<std::uint64_t>(forms_) ? forms_ - 1 : static_cast<int>(f);
}

}  // namespace fd
