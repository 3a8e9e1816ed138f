#!/usr/bin/env python3
# Copied unchanged (apart from this comment) from /work/shared/bench/gen_site.py,
# the benchmark site generator named in the performance issue; see bench/README.md.
"""Generate a synthetic multilingual public-services site for SSG benchmarks.

One site root serves two engines side by side:

    OUT/content/      shared Markdown content (TOML front matter, +++)
    OUT/static/       shared static files
    OUT/config.toml   Zola configuration   (output -> OUT/public-zola)
    OUT/templates/    Zola (Tera) theme
    OUT/hugo.toml     Hugo configuration   (output -> OUT/public-hugo)
    OUT/layouts/      Hugo (Go template) theme

Build with:   zola --root OUT build        (or: cd OUT && zola build)
              hugo --source OUT --config hugo.toml --quiet

With --flavor metroportal only content/ and static/ are written, without the
keys that only Hugo reads; the metroportal benchmark adds its own config and
theme.

Content model
-------------
* N "logical" pages; each exists in the default language (pl, file
  `slug.md`) and, for a --translated fraction of them, in every extra
  language (`slug.en.md`, `slug.uk.md`).
* 20 sections (plus the home section), every one with `_index.md` and
  `_index.<lang>.md`:
    services/ (17 municipality subsections, ~70 % of pages)
    news/     (~15 %)
    guides/   (~15 %)
* Page front matter carries the taxonomy terms twice, because the two
  engines read them from different places: top-level `categories` /
  `municipalities` keys for Hugo, a `[taxonomies]` table for Zola.  Each
  engine ignores the other's keys (Zola ignores unknown top-level page
  keys, at least since 0.17; Hugo keeps them as page params).
* Bodies are 400-800 words of Markdown: headings, paragraphs with bold and
  italic, bullet and numbered lists, a table, a blockquote and links to
  other pages of the same language.

Everything is derived from --seed, so the same arguments always produce
byte-identical files.
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

WORDS = {
    "pl": """urząd wniosek dokument mieszkaniec obywatel gmina powiat województwo
opłata termin formularz zaświadczenie decyzja pełnomocnictwo załącznik podpis
elektroniczny profil zaufany sprawa rejestracja meldunek pobyt stały czasowy
dowód osobisty paszport pojazd podatek nieruchomość działka budowa pozwolenie
zgłoszenie odpady woda ścieki szkoła przedszkole świadczenie rodzina dziecko
senior zasiłek pomoc społeczna ośrodek kontakt godziny otwarcia poniedziałek
piątek sekretariat kancelaria wydział referat informacja należy można trzeba
złożyć odebrać przygotować sprawdzić uzupełnić wypełnić przesłać dostarczyć
osobiście pocztą przez internet w na do z od dla oraz lub i że który która
które jest są będzie został została czas dni roboczych kalendarzowych
bezpłatnie zgodnie przepisami ustawy rozporządzenia wymagane dane osobowe
numer adres zamieszkania korespondencyjny telefon skrzynka biuro obsługi
klienta kolejka rezerwacja wizyta stanowisko pracownik urzędnik odwołanie
skarga ważność ważny nowy aktualny wcześniejszy pierwszy kolejny ostatni
całkowity miesięczny roczny lokalny miejski gminny publiczny wysokość kwota
rachunek przelew potwierdzenie wniesienia opłaty skarbowej zwolnienie ulga
uprawniony wnioskodawca małżonek opiekun prawny pełnoletni niepełnoletni""",
    "en": """office application document resident citizen municipality county
province fee deadline form certificate decision power attorney attachment
signature electronic profile trusted case registration address residence
permanent temporary identity card passport vehicle tax property plot
construction permit notification waste water sewage school kindergarten
benefit family child senior allowance social assistance centre contact opening
hours monday friday secretariat registry department unit information must can
should submit collect prepare check complete fill send deliver in person by
post online the a an of to for and or with from that which is are will be was
been time working days calendar free charge according regulations act
ordinance required personal data number mailing phone inbox customer service
queue booking visit desk clerk officer appeal complaint validity valid new
current previous first next last total monthly annual local city municipal
public amount sum bank account transfer confirmation payment stamp duty
exemption relief eligible applicant spouse guardian legal adult minor""",
    "uk": """установа заява документ мешканець громадянин гміна повіт воєводство
оплата термін форма довідка рішення довіреність додаток підпис електронний
профіль довірений справа реєстрація адреса проживання постійний тимчасовий
посвідчення особи паспорт транспорт податок нерухомість ділянка будівництво
дозвіл повідомлення відходи вода каналізація школа садочок виплата сімʼя
дитина пенсіонер допомога соціальна центр контакт години роботи понеділок
пʼятниця секретаріат канцелярія відділ інформація потрібно можна слід подати
отримати підготувати перевірити доповнити заповнити надіслати доставити
особисто поштою через інтернет в на до з від для та або і що який яка які є
буде було час днів робочих календарних безкоштовно відповідно до закону
положення обовʼязкові дані особові номер телефон скринька бюро обслуговування
клієнтів черга запис візит вікно працівник службовець оскарження скарга
чинність чинний новий актуальний попередній перший наступний останній
загальний місячний річний місцевий міський гмінний публічний сума рахунок
переказ підтвердження сплати гербовий збір звільнення пільга заявник
подружжя опікун законний повнолітній неповнолітній""",
}

LANG_META = {
    "pl": {"name": "Polski", "site": "Portal usług publicznych",
           "latest": "Najnowsze", "contact": "Kontakt", "fees": "Opłaty",
           "steps": "Krok po kroku", "docs": "Wymagane dokumenty",
           "see": "Zobacz też", "table": ("Czynność", "Opłata", "Termin")},
    "en": {"name": "English", "site": "Public services portal",
           "latest": "Latest", "contact": "Contact", "fees": "Fees",
           "steps": "Step by step", "docs": "Required documents",
           "see": "See also", "table": ("Step", "Fee", "Deadline")},
    "uk": {"name": "Українська", "site": "Портал публічних послуг",
           "latest": "Найновіше", "contact": "Контакт", "fees": "Оплати",
           "steps": "Крок за кроком", "docs": "Необхідні документи",
           "see": "Див. також", "table": ("Дія", "Оплата", "Термін")},
}

# (slug, pl, en, uk, category)
SERVICES = [
    ("dowod-osobisty", "Dowód osobisty", "Identity card", "Посвідчення особи", "dokumenty"),
    ("paszport", "Paszport", "Passport", "Паспорт", "dokumenty"),
    ("zameldowanie", "Zameldowanie na pobyt stały", "Permanent residence registration", "Реєстрація постійного проживання", "stan-cywilny"),
    ("akt-urodzenia", "Odpis aktu urodzenia", "Birth certificate copy", "Копія свідоцтва про народження", "stan-cywilny"),
    ("akt-malzenstwa", "Odpis aktu małżeństwa", "Marriage certificate copy", "Копія свідоцтва про шлюб", "stan-cywilny"),
    ("slub-cywilny", "Ślub cywilny", "Civil wedding", "Цивільний шлюб", "stan-cywilny"),
    ("rejestracja-pojazdu", "Rejestracja pojazdu", "Vehicle registration", "Реєстрація транспортного засобу", "transport"),
    ("prawo-jazdy", "Prawo jazdy", "Driving licence", "Водійське посвідчення", "transport"),
    ("podatek-od-nieruchomosci", "Podatek od nieruchomości", "Property tax", "Податок на нерухомість", "podatki"),
    ("oplata-za-odpady", "Opłata za odpady", "Waste collection fee", "Плата за вивезення відходів", "srodowisko"),
    ("pozwolenie-na-budowe", "Pozwolenie na budowę", "Building permit", "Дозвіл на будівництво", "budownictwo"),
    ("zgloszenie-robot", "Zgłoszenie robót budowlanych", "Construction notification", "Повідомлення про будівельні роботи", "budownictwo"),
    ("karta-duzej-rodziny", "Karta Dużej Rodziny", "Large Family Card", "Картка багатодітної сімʼї", "rodzina"),
    ("swiadczenie-wychowawcze", "Świadczenie wychowawcze", "Child benefit", "Допомога на дитину", "rodzina"),
    ("zasilek-celowy", "Zasiłek celowy", "Special-purpose allowance", "Цільова допомога", "pomoc-spoleczna"),
    ("rekrutacja-przedszkole", "Rekrutacja do przedszkola", "Kindergarten enrolment", "Зарахування до садочка", "edukacja"),
    ("rekrutacja-szkola", "Rekrutacja do szkoły", "School enrolment", "Зарахування до школи", "edukacja"),
    ("dzialalnosc-gospodarcza", "Rejestracja działalności gospodarczej", "Business registration", "Реєстрація підприємницької діяльності", "biznes"),
    ("zezwolenie-alkohol", "Zezwolenie na sprzedaż alkoholu", "Alcohol sales permit", "Дозвіл на продаж алкоголю", "biznes"),
    ("wycinka-drzew", "Zezwolenie na wycinkę drzew", "Tree felling permit", "Дозвіл на вирубку дерев", "srodowisko"),
    ("karta-mieszkanca", "Karta mieszkańca", "Resident card", "Картка мешканця", "cyfryzacja"),
    ("numer-pesel", "Nadanie numeru PESEL", "PESEL number assignment", "Присвоєння номера PESEL", "dokumenty"),
    ("profil-zaufany", "Profil zaufany", "Trusted profile", "Довірений профіль", "cyfryzacja"),
    ("dodatek-mieszkaniowy", "Dodatek mieszkaniowy", "Housing allowance", "Житлова допомога", "mieszkalnictwo"),
    ("lokal-komunalny", "Najem lokalu komunalnego", "Municipal housing rental", "Оренда комунального житла", "mieszkalnictwo"),
    ("abonament-parkingowy", "Abonament parkingowy mieszkańca", "Resident parking permit", "Паркувальний абонемент мешканця", "transport"),
    ("rejestracja-psa", "Rejestracja psa", "Dog registration", "Реєстрація собаки", "srodowisko"),
    ("zaswiadczenie-o-zameldowaniu", "Zaświadczenie o zameldowaniu", "Certificate of residence", "Довідка про реєстрацію", "dokumenty"),
    ("rejestr-wyborcow", "Wpis do rejestru wyborców", "Voter register entry", "Внесення до реєстру виборців", "cyfryzacja"),
    ("dotacja-ogrzewanie", "Dofinansowanie wymiany ogrzewania", "Heating replacement subsidy", "Дотація на заміну опалення", "srodowisko"),
]

CATEGORIES = sorted({s[4] for s in SERVICES} | {"komunikaty"})

# (slug, pl, en, uk, lat, lon, postcode)
MUNICIPALITIES = [
    ("warszawa", "Warszawa", "Warsaw", "Варшава", 52.2297, 21.0122, "00-001"),
    ("krakow", "Kraków", "Kraków", "Краків", 50.0647, 19.9450, "30-001"),
    ("lodz", "Łódź", "Łódź", "Лодзь", 51.7592, 19.4560, "90-001"),
    ("wroclaw", "Wrocław", "Wrocław", "Вроцлав", 51.1079, 17.0385, "50-001"),
    ("poznan", "Poznań", "Poznań", "Познань", 52.4064, 16.9252, "60-001"),
    ("gdansk", "Gdańsk", "Gdańsk", "Гданськ", 54.3520, 18.6466, "80-001"),
    ("szczecin", "Szczecin", "Szczecin", "Щецин", 53.4285, 14.5528, "70-001"),
    ("bydgoszcz", "Bydgoszcz", "Bydgoszcz", "Бидгощ", 53.1235, 18.0084, "85-001"),
    ("lublin", "Lublin", "Lublin", "Люблін", 51.2465, 22.5684, "20-001"),
    ("bialystok", "Białystok", "Białystok", "Білосток", 53.1325, 23.1688, "15-001"),
    ("katowice", "Katowice", "Katowice", "Катовиці", 50.2649, 19.0238, "40-001"),
    ("gdynia", "Gdynia", "Gdynia", "Гдиня", 54.5189, 18.5305, "81-001"),
    ("czestochowa", "Częstochowa", "Częstochowa", "Ченстохова", 50.8118, 19.1203, "42-200"),
    ("radom", "Radom", "Radom", "Радом", 51.4027, 21.1471, "26-600"),
    ("torun", "Toruń", "Toruń", "Торунь", 53.0138, 18.5984, "87-100"),
    ("kielce", "Kielce", "Kielce", "Кельце", 50.8661, 20.6286, "25-001"),
    ("rzeszow", "Rzeszów", "Rzeszów", "Жешув", 50.0412, 21.9991, "35-001"),
]

STREETS = ["Główna", "Ratuszowa", "Mickiewicza", "Słowackiego", "Kościuszki",
           "Piłsudskiego", "Sienkiewicza", "Kolejowa", "Ogrodowa", "Lipowa"]

TOP_SECTIONS = {
    # slug: (pl, en, uk, weight)
    "services": ("Usługi", "Services", "Послуги", 1),
    "news": ("Aktualności", "News", "Новини", 2),
    "guides": ("Poradniki", "Guides", "Посібники", 3),
}

NEWS_KIND = {"pl": "Komunikat", "en": "Announcement", "uk": "Оголошення"}
GUIDE_KIND = {"pl": "Poradnik", "en": "Guide", "uk": "Посібник"}

LANG_IDX = {"pl": 1, "en": 2, "uk": 3}
DEFAULT_LANG = "pl"
ALL_LANGS = ["pl", "en", "uk"]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def tq(s):
    """TOML basic string (JSON string escapes are valid TOML)."""
    return json.dumps(s, ensure_ascii=False)


def tlist(items):
    return "[" + ", ".join(tq(x) for x in items) + "]"


def lang_prefix(lang):
    return "" if lang == DEFAULT_LANG else "/" + lang


def file_name(stem, lang):
    return f"{stem}.md" if lang == DEFAULT_LANG else f"{stem}.{lang}.md"


class Page:
    __slots__ = ("idx", "section", "slug", "titles", "date", "cats", "munis",
                 "muni", "langs")

    def url(self, lang):
        if lang not in self.langs:
            lang = DEFAULT_LANG
        return f"{lang_prefix(lang)}/{self.section}/{self.slug}/"

    def title(self, lang):
        return self.titles.get(lang, self.titles[DEFAULT_LANG])


def plan_pages(n, langs, seed, translated):
    """Metadata of every logical page (no bodies yet)."""
    base = dt.datetime(2019, 1, 1, 8, 0, 0)
    pages = []
    for i in range(n):
        rng = random.Random(f"{seed}/plan/{i}")
        p = Page()
        p.idx = i
        bucket = i % 20
        m = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))]
        p.muni = m
        # unique, strictly increasing timestamps (3 h apart + jitter < 3 h)
        p.date = base + dt.timedelta(hours=3 * i, minutes=rng.randrange(170))
        if bucket < 14:
            s = SERVICES[rng.randrange(len(SERVICES))]
            p.section = f"services/{m[0]}"
            p.slug = f"{s[0]}-{i:05d}"
            p.titles = {"pl": f"{s[1]} — {m[1]}", "en": f"{s[2]} — {m[2]}",
                        "uk": f"{s[3]} — {m[3]}"}
            cats = [s[4]]
            if rng.random() < 0.3:
                cats.append(CATEGORIES[rng.randrange(len(CATEGORIES))])
            p.munis = [m[0]]
        else:
            kind_slug, kinds = (("komunikat", NEWS_KIND) if bucket < 17
                                else ("poradnik", GUIDE_KIND))
            p.section = "news" if bucket < 17 else "guides"
            p.slug = f"{kind_slug}-{i:05d}"
            s = SERVICES[rng.randrange(len(SERVICES))]
            p.titles = {
                "pl": f"{kinds['pl']} nr {i}: {s[1]} ({m[1]})",
                "en": f"{kinds['en']} no. {i}: {s[2]} ({m[2]})",
                "uk": f"{kinds['uk']} № {i}: {s[3]} ({m[3]})",
            }
            cats = ["komunikaty"] if p.section == "news" else [s[4]]
            munis = [m[0]]
            if rng.random() < 0.4:
                other = MUNICIPALITIES[rng.randrange(len(MUNICIPALITIES))][0]
                if other != m[0]:
                    munis.append(other)
            p.munis = munis
        p.cats = list(dict.fromkeys(cats))
        p.langs = [DEFAULT_LANG] + [l for l in langs[1:]
                                    if rng.random() < translated]
        pages.append(p)
    return pages


# --------------------------------------------------------------------------
# Markdown bodies
# --------------------------------------------------------------------------

class Writer:
    """Fills a language-independent block plan with words of one language."""

    def __init__(self, lang, rng):
        self.lang = lang
        self.vocab = WORDS[lang].split()
        self.rng = rng

    def words(self, k):
        v, r = self.vocab, self.rng
        return [v[r.randrange(len(v))] for _ in range(k)]

    def sentence(self, k):
        w = self.words(k)
        w[0] = w[0][:1].upper() + w[0][1:]
        return " ".join(w) + "."

    def paragraph(self, k, links, decorate=True):
        out = []
        left = k
        while left > 0:
            n = min(left, self.rng.randint(6, 16))
            out.append(self.sentence(n))
            left -= n
        text = " ".join(out)
        words = text.split(" ")
        if decorate and len(words) > 8:
            a = self.rng.randrange(1, len(words) // 2)
            words[a] = f"**{words[a]}**"
            b = self.rng.randrange(len(words) // 2 + 1, len(words) - 1)
            words[b] = f"*{words[b]}*"
        for (href, title) in links:
            pos = self.rng.randrange(1, len(words))
            words.insert(pos, f"([{title}]({href}))")
        return " ".join(words)


def body_plan(rng):
    """Structure of one page body, shared by all its translations."""
    target = rng.randint(330, 650)  # plan undercounts; yields ~400-800 words
    plan = [("p", rng.randint(50, 90), 1)]
    total = plan[0][1]
    sec = 0
    table_at = rng.randint(1, 2)
    while total < target:
        sec += 1
        plan.append(("h2", rng.randint(2, 5), 0))
        k = rng.randint(40, 90)
        plan.append(("p", k, rng.randint(0, 1)))
        total += k
        if sec == table_at:
            rows = rng.randint(4, 6)
            plan.append(("table", rows, 0))
            total += rows * 6
        r = rng.random()
        if r < 0.45:
            items = rng.randint(4, 7)
            plan.append(("ul", items, rng.randint(0, 1)))
            total += items * 7
        elif r < 0.75:
            items = rng.randint(3, 6)
            plan.append(("ol", items, 0))
            total += items * 8
        else:
            plan.append(("h3", rng.randint(2, 4), 0))
            k = rng.randint(30, 60)
            plan.append(("p", k, 0))
            total += k
        if rng.random() < 0.2:
            k = rng.randint(15, 30)
            plan.append(("quote", k, 0))
            total += k
    plan.append(("see", rng.randint(2, 4), 0))
    return plan


def render_body(page, lang, pages, seed):
    plan_rng = random.Random(f"{seed}/body/{page.idx}")
    plan = body_plan(plan_rng)
    link_rng = random.Random(f"{seed}/links/{page.idx}")
    n = len(pages)

    def pick_links(k):
        out = []
        for _ in range(k):
            q = pages[link_rng.randrange(n)]
            out.append((q.url(lang), q.title(lang)))
        return out

    w = Writer(lang, random.Random(f"{seed}/words/{page.idx}/{lang}"))
    meta = LANG_META[lang]
    parts = []
    sec_url = f"{lang_prefix(lang)}/{page.section}/"
    first = True
    for kind, k, nlinks in plan:
        if kind == "p":
            links = pick_links(nlinks)
            if first:
                links.append((sec_url, meta["see"]))
                first = False
            parts.append(w.paragraph(k, links))
        elif kind == "h2":
            parts.append("## " + w.sentence(k).rstrip("."))
        elif kind == "h3":
            parts.append("### " + w.sentence(k).rstrip("."))
        elif kind == "ul":
            links = pick_links(nlinks)
            items = []
            for j in range(k):
                t = " ".join(w.words(w.rng.randint(4, 10)))
                if j < len(links):
                    t += f" — [{links[j][1]}]({links[j][0]})"
                if j == 0:
                    t = f"**{t}**"
                items.append("- " + t)
            parts.append("\n".join(items))
        elif kind == "ol":
            parts.append("\n".join(
                f"{j + 1}. " + w.sentence(w.rng.randint(5, 11))
                for j in range(k)))
        elif kind == "table":
            h = meta["table"]
            rows = [f"| {h[0]} | {h[1]} | {h[2]} |", "| --- | ---: | --- |"]
            for _ in range(k):
                fee = f"{w.rng.randint(0, 300)},{w.rng.choice(['00', '50'])} zł"
                days = f"{w.rng.randint(1, 60)}"
                rows.append(f"| {' '.join(w.words(3))} | {fee} | {days} "
                            f"{' '.join(w.words(1))} |")
            parts.append("\n".join(rows))
        elif kind == "quote":
            parts.append("> " + w.paragraph(k, [], decorate=False))
        elif kind == "see":
            parts.append("## " + meta["see"])
            parts.append("\n".join(f"- [{t}]({u})" for (u, t) in pick_links(k)))
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------
# Content files
# --------------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def section_index(title, description, weight, paginate, body):
    fm = [f"title = {tq(title)}", f"description = {tq(description)}",
          f"weight = {weight}"]
    if paginate:
        fm += ['sort_by = "date"', f"paginate_by = {paginate}"]
    return "+++\n" + "\n".join(fm) + "\n+++\n\n" + body + "\n"


def write_sections(content, langs, paginate, seed):
    count = 0
    for lang in langs:
        w = Writer(lang, random.Random(f"{seed}/sections/{lang}"))
        meta = LANG_META[lang]
        write(os.path.join(content, file_name("_index", lang)),
              section_index(meta["site"], w.sentence(12), 0, None,
                            w.paragraph(60, [])))
        count += 1
        for slug, (pl, en, uk, weight) in TOP_SECTIONS.items():
            title = {"pl": pl, "en": en, "uk": uk}[lang]
            write(os.path.join(content, slug, file_name("_index", lang)),
                  section_index(title, w.sentence(10), weight, paginate,
                                w.paragraph(40, [])))
            count += 1
        for k, m in enumerate(MUNICIPALITIES):
            title = m[LANG_IDX[lang]]
            write(os.path.join(content, "services", m[0],
                               file_name("_index", lang)),
                  section_index(title, w.sentence(10), k + 1, paginate,
                                w.paragraph(40, [])))
            count += 1
    return count


def page_file(page, lang, pages, seed, flavor="peers"):
    rng = random.Random(f"{seed}/fm/{page.idx}")
    m = page.muni
    street = STREETS[rng.randrange(len(STREETS))]
    lat = round(m[4] + rng.uniform(-0.05, 0.05), 5)
    lon = round(m[5] + rng.uniform(-0.05, 0.05), 5)
    phone = f"+48 {rng.randint(12, 99)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    w = Writer(lang, random.Random(f"{seed}/desc/{page.idx}/{lang}"))
    date = page.date.strftime("%Y-%m-%dT%H:%M:%S") + "+01:00"
    fm = [
        f"title = {tq(page.title(lang))}",
        f"description = {tq(w.sentence(rng.randint(12, 22)))}",
        f"date = {date}",
    ]
    if flavor == "peers":
        fm += [
            "# Hugo reads taxonomy terms from top-level keys ...",
            f"categories = {tlist(page.cats)}",
            f"municipalities = {tlist(page.munis)}",
            "",
            "# ... Zola from the [taxonomies] table.",
        ]
    fm += [
        "[taxonomies]",
        f"categories = {tlist(page.cats)}",
        f"municipalities = {tlist(page.munis)}",
        "",
        "[extra]",
        f"lat = {lat}",
        f"lon = {lon}",
        f"address = {tq(f'ul. {street} {rng.randint(1, 120)}, {m[6]} {m[1]}')}",
        f"phone = {tq(phone)}",
    ]
    return "+++\n" + "\n".join(fm) + "\n+++\n\n" + render_body(page, lang, pages, seed)


# --------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}
header nav ul{display:flex;gap:1rem;list-style:none;padding:0}
nav.lang a{margin-right:.5rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}
"""


def zola_config(langs, base_url, term_paginate):
    pag = f", paginate_by = {term_paginate}" if term_paginate else ""
    tax = (f'[{{name = "categories"{pag}}}, '
           f'{{name = "municipalities"{pag}}}]')
    out = [
        f'base_url = "{base_url}"',
        f"title = {tq(LANG_META[DEFAULT_LANG]['site'])}",
        f'default_language = "{DEFAULT_LANG}"',
        'output_dir = "public-zola"',
        "compile_sass = false",
        "minify_html = false          # default",
        "build_search_index = false   # default",
        "generate_feeds = false       # default",
        "generate_sitemap = true      # default",
        "generate_robots_txt = true   # default",
        f"taxonomies = {tax}",
        "",
    ]
    for lang in langs[1:]:
        out += [f"[languages.{lang}]",
                f"title = {tq(LANG_META[lang]['site'])}",
                f"taxonomies = {tax}", ""]
    out += ["[markdown]", "smart_punctuation = false   # default", ""]
    return "\n".join(out)


def hugo_config(langs, base_url, paginate):
    out = [
        f'baseURL = "{base_url}/"',
        f'defaultContentLanguage = "{DEFAULT_LANG}"',
        "defaultContentLanguageInSubdir = false",
        'publishDir = "public-hugo"',
        f"paginate = {paginate}",
        "# Hugo renders RSS for home/sections/taxonomies by default; Zola's",
        "# feeds are off by default, so RSS is disabled here for parity.",
        'disableKinds = ["RSS"]',
        "# Zola writes robots.txt by default; make Hugo do the same.",
        "enableRobotsTXT = true",
        "",
        "[taxonomies]",
        'category = "categories"',
        'municipality = "municipalities"',
        "",
        "# Goldmark's typographer is on by default in Hugo; Zola's",
        "# smart_punctuation is off by default.  Align them.",
        "[markup.goldmark.extensions]",
        "typographer = false",
        "",
    ]
    for k, lang in enumerate(langs):
        out += [f"[languages.{lang}]", f"weight = {k + 1}",
                f"languageName = {tq(LANG_META[lang]['name'])}",
                f"title = {tq(LANG_META[lang]['site'])}", ""]
    return "\n".join(out)


# Both themes render the same HTML skeleton:
#   header: brand link, language switcher (translations of the current
#   page/section; language homes on taxonomy pages), top-level section nav
#   page: parent-section crumb, h1, date, description, term links,
#         office aside from [extra], content, prev/next in section
#   section: h1, description, content, subsections, paginated page list
#   home: h1, content, top sections (with subsection count), 10 latest news
#   taxonomy: alphabetical terms with counts; term: paginated page list
#   (or, with --term-paginate 0, every page of the term on one page)

def zola_templates(langs, base_url):
    home_links = " ".join(
        f'<a hreflang="{l}" href="{base_url}{lang_prefix(l)}/">{l}</a>'
        for l in langs) + " "
    # Zola keeps translations in a hash set; walk them in the configured
    # language order so the switcher matches Hugo's (language weight).
    order = "[" + ", ".join(f'"{l}"' for l in langs) + "]"
    trans = ('{% for l in ' + order + ' %}{% for t in X.translations %}'
             '{% if t.lang == l %}<a hreflang="{{ t.lang }}" '
             'href="{{ t.permalink | safe }}">{{ t.lang }}</a> {% endif %}'
             '{% endfor %}{% endfor %}')
    item = ('<li><a href="{{ p.path | safe }}">{{ p.title }}</a> '
            '<time>{{ p.date | date(format="%Y-%m-%d") }}</time>'
            '{% if p.description %}<p>{{ p.description }}</p>{% endif %}</li>')
    pagination = (
        '<nav class="pagination">{% if paginator.previous %}<a rel="prev" '
        'href="{{ paginator.previous | safe }}">&larr;</a>{% endif %} '
        '<span>{{ paginator.current_index }} / {{ paginator.number_pagers }}'
        '</span> {% if paginator.next %}<a rel="next" '
        'href="{{ paginator.next | safe }}">&rarr;</a>{% endif %}</nav>')
    t = {}
    t["base.html"] = f"""<!DOCTYPE html>
<html lang="{{{{ lang }}}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{% block title %}}{{{{ config.title }}}}{{% endblock title %}} | {{{{ config.title }}}}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
{{% set home = get_section(path="_index.md", lang=lang, metadata_only=true) %}}
<header>
<a class="brand" href="{{{{ home.path | safe }}}}">{{{{ config.title }}}}</a>
<nav class="lang">{{% block langs %}}{home_links}{{% endblock langs %}}</nav>
<nav class="main"><ul>{{% for s in home.subsections %}}{{% set sub = get_section(path=s, metadata_only=true) %}}<li><a href="{{{{ sub.path | safe }}}}">{{{{ sub.title }}}}</a></li>{{% endfor %}}</ul></nav>
</header>
<main>
{{% block main %}}{{% endblock main %}}
</main>
<footer><p>{{{{ config.title }}}} · {{{{ lang }}}}</p></footer>
</body>
</html>
"""
    t["page.html"] = """{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock title %}
{% block langs %}""" + trans.replace("X.", "page.") + """{% endblock langs %}
{% block main %}
<article>
{% set parent = get_section(path=page.ancestors | last, metadata_only=true) %}
<nav class="crumbs"><a href="{{ parent.path | safe }}">{{ parent.title }}</a></nav>
<h1>{{ page.title }}</h1>
<p class="meta"><time datetime="{{ page.date | date(format="%Y-%m-%d") }}">{{ page.date | date(format="%Y-%m-%d") }}</time></p>
{% if page.description %}<p class="lead">{{ page.description }}</p>{% endif %}
<ul class="terms">{% for tax in ["categories", "municipalities"] %}{% if page.taxonomies[tax] %}{% for t in page.taxonomies[tax] %}<li><a href="{{ get_taxonomy_url(kind=tax, name=t, lang=lang) | safe }}">{{ t }}</a></li>{% endfor %}{% endif %}{% endfor %}</ul>
{% if page.extra.address %}<aside class="office"><p>{{ page.extra.address }}</p><p>{{ page.extra.phone }}</p><p>{{ page.extra.lat }}, {{ page.extra.lon }}</p></aside>{% endif %}
<div class="content">{{ page.content | safe }}</div>
<nav class="pager">{% if page.lower %}<a rel="prev" href="{{ page.lower.path | safe }}">{{ page.lower.title }}</a>{% endif %} {% if page.higher %}<a rel="next" href="{{ page.higher.path | safe }}">{{ page.higher.title }}</a>{% endif %}</nav>
</article>
{% endblock main %}
"""
    t["section.html"] = """{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block langs %}""" + trans.replace("X.", "section.") + """{% endblock langs %}
{% block main %}
<section>
<h1>{{ section.title }}</h1>
{% if section.description %}<p class="lead">{{ section.description }}</p>{% endif %}
<div class="content">{{ section.content | safe }}</div>
{% if section.subsections %}<ul class="subsections">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.path | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endif %}
<ul class="pages">{% for p in paginator.pages %}""" + item + """{% endfor %}</ul>
""" + pagination + """
</section>
{% endblock main %}
"""
    t["index.html"] = """{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block langs %}""" + trans.replace("X.", "section.") + """{% endblock langs %}
{% block main %}
<section>
<h1>{{ section.title }}</h1>
<div class="content">{{ section.content | safe }}</div>
<ul class="subsections">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.path | safe }}">{{ sub.title }}</a> ({{ sub.subsections | length }})</li>{% endfor %}</ul>
{% set news = get_section(path="news/_index.md", lang=lang) %}
<h2>Latest</h2>
<ul class="pages">{% for p in news.pages | slice(end=10) %}""" + item + """{% endfor %}</ul>
</section>
{% endblock main %}
"""
    t["taxonomy_list.html"] = """{% extends "base.html" %}
{% block title %}{{ taxonomy.name }}{% endblock title %}
{% block main %}
<section>
<h1>{{ taxonomy.name }}</h1>
<ul class="terms">{% for t in terms %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a> ({{ t.page_count }})</li>{% endfor %}</ul>
</section>
{% endblock main %}
"""
    t["taxonomy_single.html"] = """{% extends "base.html" %}
{% block title %}{{ term.name }}{% endblock title %}
{% block main %}
<section>
<h1>{{ taxonomy.name }}: {{ term.name }}</h1>
{% if paginator %}
<ul class="pages">{% for p in paginator.pages %}""" + item + """{% endfor %}</ul>
""" + pagination + """
{% else %}
<ul class="pages">{% for p in term.pages %}""" + item + """{% endfor %}</ul>
{% endif %}
</section>
{% endblock main %}
"""
    t["404.html"] = """{% extends "base.html" %}
{% block title %}404{% endblock title %}
{% block main %}<h1>404</h1>{% endblock main %}
"""
    return t


def hugo_layouts(term_paginate):
    trans = ('{{ define "langs" }}{{ range .AllTranslations }}<a hreflang="'
             '{{ .Language.Lang }}" href="{{ .Permalink }}">{{ .Language.Lang }}'
             '</a> {{ end }}{{ end }}')
    item = ('<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> '
            '<time>{{ .Date.Format "2006-01-02" }}</time>'
            '{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>')
    pagination = (
        '<nav class="pagination">{{ if $pag.HasPrev }}<a rel="prev" '
        'href="{{ $pag.Prev.URL }}">&larr;</a>{{ end }} <span>'
        '{{ $pag.PageNumber }} / {{ $pag.TotalPages }}</span> '
        '{{ if $pag.HasNext }}<a rel="next" href="{{ $pag.Next.URL }}">'
        '&rarr;</a>{{ end }}</nav>')
    t = {}
    t["_default/baseof.html"] = """<!DOCTYPE html>
<html lang="{{ .Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }} | {{ .Site.Title }}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header>
<a class="brand" href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav class="lang">{{ block "langs" . }}{{ range .Site.Home.AllTranslations }}<a hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ .Language.Lang }}</a> {{ end }}{{ end }}</nav>
<nav class="main"><ul>{{ range .Site.Home.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ .Site.Title }} · {{ .Language.Lang }}</p></footer>
</body>
</html>
"""
    t["_default/single.html"] = """{{ define "title" }}{{ .Title }}{{ end }}
""" + trans + """
{{ define "main" }}
<article>
<nav class="crumbs"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
<ul class="terms">{{ range $tax := slice "categories" "municipalities" }}{{ range $.GetTerms $tax }}<li><a href="{{ .Permalink }}">{{ .Data.Term }}</a></li>{{ end }}{{ end }}</ul>
{{ with .Params.extra }}{{ if .address }}<aside class="office"><p>{{ .address }}</p><p>{{ .phone }}</p><p>{{ .lat }}, {{ .lon }}</p></aside>{{ end }}{{ end }}
<div class="content">{{ .Content }}</div>
<nav class="pager">{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>
{{ end }}
"""
    t["_default/list.html"] = """{{ define "title" }}{{ .Title }}{{ end }}
""" + trans + """
{{ define "main" }}
<section>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
<div class="content">{{ .Content }}</div>
{{ with .Sections }}<ul class="subsections">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ $pag := .Paginate .RegularPages }}
<ul class="pages">{{ range $pag.Pages }}""" + item + """{{ end }}</ul>
""" + pagination + """
</section>
{{ end }}
"""
    t["index.html"] = """{{ define "title" }}{{ .Title }}{{ end }}
""" + trans + """
{{ define "main" }}
<section>
<h1>{{ .Title }}</h1>
<div class="content">{{ .Content }}</div>
<ul class="subsections">{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Sections }})</li>{{ end }}</ul>
<h2>Latest</h2>
<ul class="pages">{{ range first 10 (where .Site.RegularPages "Section" "news") }}""" + item + """{{ end }}</ul>
</section>
{{ end }}
"""
    t["_default/taxonomy.html"] = """{{ define "title" }}{{ .Data.Plural }}{{ end }}
{{ define "main" }}
<section>
<h1>{{ .Data.Plural }}</h1>
<ul class="terms">{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Name }}</a> ({{ .Count }})</li>{{ end }}</ul>
</section>
{{ end }}
"""
    t["_default/term.html"] = """{{ define "title" }}{{ .Data.Term }}{{ end }}
{{ define "main" }}
<section>
<h1>{{ .Data.Plural }}: {{ .Data.Term }}</h1>
""" + ("""{{ $pag := .Paginate .Pages }}
<ul class="pages">{{ range $pag.Pages }}""" + item + """{{ end }}</ul>
""" + pagination if term_paginate else """<ul class="pages">{{ range .Pages }}"""
       + item + "{{ end }}</ul>") + """
</section>
{{ end }}
"""
    t["404.html"] = """{{ define "title" }}404{{ end }}
{{ define "main" }}<h1>404</h1>{{ end }}
"""
    return t


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_langs(spec):
    if spec.isdigit():
        k = int(spec)
        if not 1 <= k <= len(ALL_LANGS):
            sys.exit(f"--langs: 1..{len(ALL_LANGS)}")
        return ALL_LANGS[:k]
    langs = [l.strip() for l in spec.split(",") if l.strip()]
    if not langs or langs[0] != DEFAULT_LANG or any(l not in ALL_LANGS for l in langs):
        sys.exit(f"--langs: a count or a list from {ALL_LANGS} starting with {DEFAULT_LANG}")
    return langs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="site root to create")
    ap.add_argument("-n", "--pages", type=int, required=True,
                    help="logical pages (each in every language)")
    ap.add_argument("--langs", default="3",
                    help="number of languages (1-3) or list, e.g. pl,en,uk")
    ap.add_argument("--translated", type=float, default=1.0,
                    help="fraction of pages translated into each extra language")
    ap.add_argument("--seed", default="2026")
    ap.add_argument("--paginate", type=int, default=20,
                    help="pages per pager in section lists")
    ap.add_argument("--term-paginate", type=int, default=None,
                    help="pages per pager on taxonomy term pages "
                         "(default: --paginate; 0 = one page listing all)")
    ap.add_argument("--base-url", default="https://portal.example.org")
    ap.add_argument("--flavor", choices=["peers", "metroportal"], default="peers",
                    help="peers: content + Zola and Hugo configs/themes; metroportal: the same "
                         "content without the keys only Hugo reads, and no peer configs or themes")
    ap.add_argument("--force", action="store_true",
                    help="delete OUT first if it exists")
    a = ap.parse_args()
    langs = parse_langs(a.langs)
    term_paginate = a.paginate if a.term_paginate is None else a.term_paginate
    base_url = a.base_url.rstrip("/")

    if os.path.exists(a.out):
        if not a.force:
            sys.exit(f"{a.out} exists (use --force)")
        shutil.rmtree(a.out)
    content = os.path.join(a.out, "content")

    pages = plan_pages(a.pages, langs, a.seed, a.translated)
    n_sections = write_sections(content, langs, a.paginate, a.seed)
    n_files = 0
    words = 0
    for p in pages:
        for lang in p.langs:
            text = page_file(p, lang, pages, a.seed, a.flavor)
            write(os.path.join(content, p.section, file_name(p.slug, lang)), text)
            n_files += 1
            words += len(text.split("+++", 2)[2].split())

    write(os.path.join(a.out, "static", "style.css"), CSS)
    if a.flavor == "metroportal":
        print(json.dumps({"out": a.out, "flavor": "metroportal", "page_files": n_files,
                          "section_files": n_sections, "langs": langs}))
        return
    write(os.path.join(a.out, "config.toml"), zola_config(langs, base_url, term_paginate))
    write(os.path.join(a.out, "hugo.toml"), hugo_config(langs, base_url, a.paginate))
    for name, text in zola_templates(langs, base_url).items():
        write(os.path.join(a.out, "templates", name), text)
    for name, text in hugo_layouts(term_paginate).items():
        write(os.path.join(a.out, "layouts", name), text)

    print(json.dumps({
        "out": a.out, "logical_pages": a.pages, "langs": langs,
        "page_files": n_files, "section_files": n_sections,
        "avg_body_words": round(words / max(n_files, 1)),
        "seed": a.seed, "paginate": a.paginate, "term_paginate": term_paginate,
    }))


if __name__ == "__main__":
    main()
