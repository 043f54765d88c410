#include "search/Synthetic.h"

#include <array>
#include <string>

namespace fd {
namespace {

// splitmix64: tiny, fast, and the same on every platform (std::mt19937's
// distributions are not guaranteed to be).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& a) {
    return a[next() % N];
  }
};

struct Culture {
  std::vector<const char*> first;
  std::vector<const char*> last;
  bool family_first;  // CJK order: family name first
};

const std::vector<Culture>& cultures() {
  static const std::vector<Culture> c = {
      {{"Ana", "José", "María", "Lucía", "Javier", "Carmen", "Pablo", "Sofía", "Álvaro", "Inés"},
       {"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Núñez", "Muñoz",
        "Fernández-Villaverde"},
       false},
      {{"Anna", "Jürgen", "Lena", "Lukas", "Jörg", "Sophie", "Maximilian", "Grete", "Felix", "Uwe"},
       {"Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß", "Schäfer", "Köhler", "Böhm",
        "Meyer-Lübke"},
       false},
      {{"Emma", "Noah", "Olivia", "Liam", "Ava", "James", "Mia", "Oliver", "Chloe", "Ethan"},
       {"Smith", "Johnson", "O'Brien", "Williams", "Brown", "Jones", "Taylor", "Davies", "Evans",
        "Thompson"},
       false},
      {{"Łukasz", "Zofia", "Krzysztof", "Agnieszka", "Paweł", "Małgorzata", "Wojciech", "Joanna"},
       {"Kowalski", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska", "Zieliński", "Szymańska"},
       false},
      {{"Søren", "Åsa", "Bjørn", "Ingrid", "Lars", "Sigríður", "Mikael", "Kerstin"},
       {"Ørsted", "Ångström", "Nielsen", "Johansson", "Lindqvist", "Þórsdóttir", "Håkansson"},
       false},
      {{"Иван", "Мария", "Дмитрий", "Анна", "Сергей", "Ольга", "Алексей", "Екатерина"},
       {"Петров", "Иванова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев"},
       false},
      {{"Δημήτρης", "Μαρία", "Γιώργος", "Ελένη", "Νίκος", "Κατερίνα"},
       {"Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Αλεξίου"},
       false},
      {{"芳", "伟", "娜", "敏", "静", "磊", "洋", "杰"},
       {"王", "李", "张", "刘", "陈", "杨", "黄", "赵"},
       true},
      {{"健", "陽菜", "蓮", "結衣", "悠真", "さくら"},
       {"佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤"},
       true},
      {{"민준", "서연", "도윤", "지우", "하준"}, {"김", "이", "박", "최", "정"}, true},
      {{"محمد", "فاطمة", "أحمد", "مريم", "علي", "نور"},
       {"العلي", "حسن", "الخطيب", "منصور", "السيد"},
       false},
      {{"נועה", "דוד", "שרה", "יוסף", "מיכל"}, {"כהן", "לוי", "מזרחי", "פרץ", "ביטון"}, false},
      {{"Aarav", "Priya", "Vivaan", "Ananya", "Rohan", "Diya", "अर्जुन", "प्रिया"},
       {"Sharma", "Patel", "Iyer", "Reddy", "Chatterjee", "शर्मा"},
       false},
      {{"Nguyễn", "Trần", "Lê", "Phạm"}, {"Văn An", "Thị Hương", "Minh Đức", "Thu Hà"}, true},
      {{"Chiara", "Giuseppe", "Francesca", "Matteo", "Giulia"},
       {"Rossi", "Bianchi", "D'Angelo", "Esposito", "Colombo"},
       false},
      {{"Mehmet", "Ayşe", "Çağla", "Gökhan", "Şebnem"},
       {"Yılmaz", "Kaya", "Demir", "Çelik", "Öztürk"},
       false},
      {{"Chidi", "Amara", "Oluwaseun", "Ngozi", "Kwame"},
       {"Okafor", "Adeyemi", "Mensah", "Okonkwo"},
       false},
  };
  return c;
}

constexpr std::array<const char*, 24> kCompanies = {"Acme Corp",
                                                    "Globex",
                                                    "Initech",
                                                    "Umbrella Labs",
                                                    "Stark Industries",
                                                    "Wayne Enterprises",
                                                    "Hooli",
                                                    "Pied Piper",
                                                    "Soylent",
                                                    "Tyrell",
                                                    "Cyberdyne",
                                                    "Wonka Industries",
                                                    "Nordic AB",
                                                    "Müller & Söhne GmbH",
                                                    "Ferrovie Digitali",
                                                    "東京ソフト株式会社",
                                                    "Яндекс",
                                                    "Freelance",
                                                    "University of Edinburgh",
                                                    "Université Paris-Saclay",
                                                    "Red Hat",
                                                    "Canonical",
                                                    "Python Software Foundation",
                                                    "Django Girls"};

// Real lists of 100,000 people have tens of thousands of distinct surnames;
// a few hundred stock ones would flatter the search index. Syllables make
// plausible new ones (Kovanderis, Malitoru).
std::string invented_surname(Rng& rng) {
  static constexpr std::array<const char*, 32> syl = {
      "ka",  "to",  "ri", "van", "der", "mo",  "li",  "sa", "ne",  "ber", "go",
      "hu",  "tan", "mi", "ra",  "lo",  "ste", "fen", "is", "ko",  "ma",  "ru",
      "zel", "qui", "da", "no",  "we",  "ath", "por", "ve", "shi", "gun"};
  std::string s;
  const int n = 2 + static_cast<int>(rng.next() % 3);
  for (int i = 0; i < n; ++i) s += syl[rng.next() % syl.size()];
  s[0] = static_cast<char>(s[0] - 32);
  return s;
}

}  // namespace

std::vector<SearchDoc> synthetic_people(std::size_t n, std::uint64_t seed) {
  Rng rng{seed};
  std::vector<SearchDoc> out;
  out.reserve(n);
  const auto& cs = cultures();
  for (std::size_t i = 0; i < n; ++i) {
    const Culture& c = cs[rng.next() % cs.size()];
    const std::string first = c.first[rng.next() % c.first.size()];
    std::string last = c.last[rng.next() % c.last.size()];
    if (!c.family_first && rng.next() % 10 < 4) last = invented_surname(rng);
    if (!c.family_first && rng.next() % 40 == 0)
      last += "-" + std::string(c.last[rng.next() % c.last.size()]);
    SearchDoc d;
    d.id = static_cast<std::int64_t>(i + 1);
    d.name = c.family_first ? last + " " + first : first + " " + last;
    d.company = rng.next() % 5 == 0 ? "" : kCompanies[rng.next() % kCompanies.size()];
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace fd
