#!/usr/bin/env python3
"""Writes assets/demo/attendees.csv: a synthetic meetup of ~300 people with
names from many scripts and languages, for the demo (scripts/start) and tests.
Deterministic: the same file every run. Run: python3 scripts/make-demo-event.py
"""
import csv
import random
import string
from pathlib import Path

FIRST_LAST = [
    (["Ana", "José", "María", "Lucía", "Álvaro", "Inés", "Nuño"], ["García", "Fernández", "Núñez", "Muñoz", "Gómez"]),
    (["Jürgen", "Anna", "Lena", "Jörg", "Grete", "Uwe"], ["Müller", "Weiß", "Groß", "Schäfer", "Köhler", "Böhm"]),
    (["Emma", "Noah", "Olivia", "Liam", "Seán", "Siobhán"], ["Smith", "O'Brien", "Evans", "Taylor", "Ní Bhriain"]),
    (["Łukasz", "Zofia", "Paweł", "Małgorzata"], ["Wiśniewska", "Wójcik", "Kamiński", "Zieliński"]),
    (["Søren", "Åsa", "Bjørn", "Sigríður"], ["Ørsted", "Ångström", "Håkansson", "Þórsdóttir"]),
    (["Иван", "Мария", "Дмитрий", "Ольга"], ["Петров", "Иванова", "Смирнов", "Кузнецова"]),
    (["Δημήτρης", "Ελένη", "Γιώργος"], ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου"]),
    (["محمد", "فاطمة", "أحمد", "مريم"], ["العلي", "حسن", "الخطيب"]),
    (["נועה", "דוד", "מיכל"], ["כהן", "לוי", "מזרחי"]),
    (["Aarav", "Priya", "अर्जुन", "प्रिया"], ["Sharma", "Iyer", "शर्मा"]),
    (["Mehmet", "Ayşe", "Çağla"], ["Yılmaz", "Öztürk", "Çelik"]),
    (["Chidi", "Ngozi", "Kwame"], ["Okafor", "Adeyemi", "Mensah"]),
]
FAMILY_FIRST = [  # (family names, given names): written family name first
    (["王", "李", "张", "陈"], ["芳", "伟", "娜", "静"], ""),
    (["佐藤", "鈴木", "高橋"], ["健", "陽菜", "さくら"], " "),
    (["김", "박", "최"], ["민준", "서연", "지우"], ""),
    (["Nguyễn", "Trần", "Phạm"], ["Văn An", "Thị Hương", "Minh Đức"], " "),
]
LONG_NAMES = [
    ("María de los Ángeles", "Fernández-Villaverde y Castellanos"),
    ("Jean-Baptiste Emmanuel", "Zorg-Delacroix de Montmorency"),
    ("Oluwaseun Adebayo", "Adewale-Ogunleye"),
    ("Hubert Blaine", "Wolfeschlegelsteinhausenbergerdorff"),
]
EMOJI_NAMES = [("Ana 🌈", "Lopes"), ("Kai", "Tanaka 🐍"), ("Sam ✨", "Rivers")]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Hooli", "Pied Piper", "Red Hat", "Canonical",
             "Python Software Foundation", "Django Girls", "Müller & Söhne GmbH", "東京ソフト株式会社",
             "Université Paris-Saclay", "Freelance", "", "", ""]
ROLES = [("Speaker", "Speaker"), ("Sponsor", "Sponsor"), ("Organizer", "Organizer"), ("Volunteer", "Volunteer")]


def main():
    rng = random.Random(20261123)
    rows = []
    people = []
    for _ in range(270):
        if rng.random() < 0.18:
            fams, givens, sep = rng.choice(FAMILY_FIRST)
            fam, given = rng.choice(fams), rng.choice(givens)
            people.append((given, fam))
        else:
            firsts, lasts = rng.choice(FIRST_LAST)
            people.append((rng.choice(firsts), rng.choice(lasts)))
    people += LONG_NAMES + EMOJI_NAMES
    rng.shuffle(people)
    for i, (first, last) in enumerate(people):
        code = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(12))
        ticket_type, role = "General admission", ""
        if rng.random() < 0.08:
            ticket_type, role = rng.choice(ROLES)
        r = rng.random()
        rsvp = "yes" if r < 0.86 else ("waitlist" if r < 0.94 else "no")
        guests = 0 if rng.random() < 0.9 else rng.choice([1, 1, 2])
        rows.append([code, first, last, f"attendee{i + 1}@example.org", rng.choice(COMPANIES),
                     ticket_type, role, rsvp, guests, f"m{100000 + i * 7}"])
    out = Path(__file__).resolve().parent.parent / "assets" / "demo" / "attendees.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Ticket code", "First name", "Last name", "Email", "Company", "Ticket type",
                    "Role", "RSVP", "Guests", "Member ID"])
        w.writerows(rows)
    print(f"wrote {len(rows)} attendees to {out}")


if __name__ == "__main__":
    main()
