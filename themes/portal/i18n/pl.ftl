# UI strings of the portal theme: Polish (pl-PL).
# Keys must be identical in pl.ftl, en.ftl and uk.ftl.
# Plural categories (CLDR, pl): one = 1; few = 2–4, 22–24…; many = 0, 5–21, 25…; other = fractions.

## Header and navigation

skip-link = Przejdź do treści
lang-switcher-label = Wersje językowe
main-nav-label = Menu główne
nav-about = O stowarzyszeniu
nav-strategy = Strategia
nav-forum = Forum Usług Społecznych
breadcrumb-label = Jesteś tutaj
breadcrumb-home = Strona główna

## Pages shown in Polish because a translation is missing

fallback-notice = Ta strona nie ma jeszcze wersji w tym języku. Poniżej jest tekst po polsku.
fallback-badge = (po polsku)

## Page details

published = Opublikowano
updated = Zaktualizowano
toc-title = Spis treści
prev-next-label = Więcej w tym dziale
previous = Poprzednia
next = Następna

## Lists and pagination

section-subsections-heading = Działy
section-pages-heading = Strony w tym dziale
empty-list = Nie ma tu jeszcze żadnych stron.
empty-terms = Nie ma jeszcze żadnych kategorii.
pages-count =
    { $count ->
        [one] { $count } strona
        [few] { $count } strony
        [many] { $count } stron
       *[other] { $count } strony
    }
pager-label = Kolejne strony listy
pager-previous = Poprzednia strona
pager-next = Następna strona
# $name: number of the current page of the list, $count: number of pages.
pager-position = Strona { $name } z { $count }

## Feeds

# $name: title of the section.
feed-title = { $name }: kanał Atom
feed-subscribe = Subskrybuj nowe wpisy (kanał Atom)

## Taxonomies

taxonomy-categories = Kategorie

## Home page

home-sections-heading = Co znajdziesz na portalu
home-latest-forum = Najnowsze podsumowania Forum
home-all-forum = Wszystkie spotkania Forum Usług Społecznych
home-find-heading = Znajdź usługę
home-find-by-municipality = Według gminy
home-find-all-municipalities = Wszystkie gminy i ich usługi
home-find-by-need = Według potrzeby
home-guide-heading = Informacje dla cudzoziemców po polsku
home-guide-text = Pobyt, PESEL, lekarz, numery alarmowe, pomoc społeczna i opieka nad dziećmi: te same informacje w każdej gminie, z adresami urzędów w Twojej gminie.

## Page not found

not-found-title = Nie znaleziono strony
not-found-text = Pod tym adresem nie ma żadnej strony. Adres może zawierać błąd albo strona została przeniesiona.
not-found-home = Przejdź do strony głównej
not-found-other-languages = Strona główna w innych językach

## Footer

footer-association = Stowarzyszenie Metropolia Krakowska
footer-purpose = Informacje o usługach społecznych w 15 gminach Metropolii Krakowskiej.
footer-contact = Kontakt ze Stowarzyszeniem: strona {$site}

## Typed content: vocabularies (codes in src/schema/vocab.rs)
category-ops = Ośrodek pomocy społecznej
category-ops-branch = Filia ośrodka pomocy społecznej
category-family-support = Wsparcie rodziny
category-nursery = Żłobek lub klub dziecięcy
category-senior-club = Klub seniora
category-senior-day-care = Dzienny dom opieki dla seniorów
category-day-support = Placówka wsparcia dziennego dla dzieci
category-respite-care = Opieka wytchnieniowa
category-health = Zdrowie
category-housing = Mieszkalnictwo
category-migrant-information = Punkt informacyjny dla cudzoziemców
category-legal-aid = Pomoc prawna i poradnictwo
category-social-economy = Ekonomia społeczna
category-public-office = Urząd
area-services = Jakość i dostępność usług społecznych, opiekuńczych i zdrowotnych
area-childcare = Opieka nad dziećmi do lat 3
area-migration = Spójna polityka migracyjna
area-housing = Mieszkalnictwo i rewitalizacja
audience-everyone = Wszyscy mieszkańcy
audience-children = Dzieci
audience-youth = Młodzież
audience-families = Rodziny
audience-seniors = Seniorzy
audience-people-with-disabilities = Osoby z niepełnosprawnościami
audience-carers = Opiekunowie
audience-migrants = Cudzoziemcy
audience-people-in-crisis = Osoby w kryzysie
language-pl = polski
language-en = angielski
language-uk = ukraiński
language-ru = rosyjski
language-de = niemiecki
language-fr = francuski
language-be = białoruski
language-ka = gruziński
language-pso = polski język migowy
municipality-type-urban = gmina miejska
municipality-type-urban-rural = gmina miejsko-wiejska
municipality-type-rural = gmina wiejska
wheelchair-yes = Dostępne dla osób na wózkach
wheelchair-limited = Częściowo dostępne dla osób na wózkach
wheelchair-no = Niedostępne dla osób na wózkach
fact-ops = ośrodek pomocy społecznej w Twojej gminie
fact-migrant-point = najbliższy punkt informacyjny dla cudzoziemców
fact-legalisation-office = urząd, w którym legalizuje się pobyt
fact-municipal-office = urząd gminy
fact-nursery = żłobek lub klub dziecięcy
forum-social-services-forum = Forum Usług Społecznych
forum-metropolis-forum = Forum Metropolii Krakowskiej
forum-general-meeting = Walne Zebranie Członków Stowarzyszenia
compliance-full = zgodna
compliance-partial = częściowo zgodna
compliance-none = niezgodna

## Days of the week (opening hours)
day-0 = poniedziałek
day-1 = wtorek
day-2 = środa
day-3 = czwartek
day-4 = piątek
day-5 = sobota
day-6 = niedziela
hours-closed = nieczynne
hours-public-holidays = Święta
hours-always = Całą dobę, codziennie

## Service and municipality pages
contact-heading = Kontakt
contact-address = Adres
contact-phone = Telefon
contact-email = E-mail
contact-website = Strona internetowa
contact-hours = Godziny otwarcia
contact-languages = Języki obsługi
contact-unknown = brak danych
service-category = Rodzaj
service-provider = Prowadzi
service-audiences = Dla kogo
service-wheelchair = Dostępność
service-areas = Obszar planu 4US
service-municipality = Gmina
provenance-heading = Skąd są te dane
provenance-source = Źródło
provenance-verified = Dane pochodzą z oficjalnej strony instytucji lub gminy
provenance-unverified = Dane nie pochodzą z oficjalnej strony – sprawdź je przed wizytą
provenance-reviewed = Ostatnio sprawdzone
provenance-not-reviewed = Redakcja portalu nie sprawdziła jeszcze tych danych u źródła
municipality-facts = Podstawowe informacje
municipality-teryt = Kod TERYT
municipality-type = Rodzaj gminy
municipality-county = Powiat
municipality-seat = Siedziba
municipality-area = Powierzchnia
municipality-area-value = { $area } km²
municipality-services = Usługi w gminie
municipality-services-count = { $count ->
    [one] { $count } usługa
    [few] { $count } usługi
    [many] { $count } usług
   *[other] { $count } usługi
}
municipality-no-services = Nie mamy jeszcze informacji o usługach w tej gminie.
municipality-office = Urząd gminy
municipality-office-name = Nazwa
municipality-migrant-pack = Informacje dla cudzoziemców w tej gminie
forum-meeting = Spotkanie
forum-date = Data
forum-date-approximate = Data (przybliżona)
forum-place = Miejsce
forum-topics = Tematy
forum-speakers = Wystąpienia
forum-outcomes = Ustalenia
forum-areas = Obszary planu 4US
guide-local-versions = Wersje dla poszczególnych gmin
guide-local-facts = Kontakty w Twojej gminie
guide-fact-missing = jeszcze nie uzupełniono – zapytaj w urzędzie swojej gminy
guide-for-municipality = Gmina: { $name }
guide-pack-title = Informacje dla cudzoziemców – { $name }
guide-pack-intro = Wszystkie tematy w jednym miejscu. Tę stronę można wydrukować.
guide-topics = Tematy
guide-print = Wersja do druku zawiera wszystkie tematy.

## Accessibility statement
footer-accessibility = Deklaracja dostępności
statement-heading = Deklaracja dostępności
statement-entity-intro = Podmiot publiczny
statement-site = Strona internetowa
statement-published = Data publikacji strony
statement-updated = Data ostatniej dużej aktualizacji
statement-status = Status zgodności z ustawą
statement-prepared = Data sporządzenia deklaracji
statement-method = Sposób przygotowania
statement-contact = Osoba do kontaktu
statement-email = E-mail
statement-phone = Telefon
statement-missing = jeszcze nie podano
undated = Data nieznana

## Data completeness (for editors)
completeness-slug = kompletnosc danych
completeness-title = Kompletność danych
completeness-intro = Zestawienie dla redakcji: które informacje lokalne, potrzebne w poradnikach dla cudzoziemców, ma każda gmina.
completeness-caption = Gmina × informacja lokalna
state-present = jest, sprawdzone
state-unverified = niepotwierdzone
state-stale = niesprawdzane od dawna
state-missing = brak

## Service maps (static SVG maps, their lists and the interactive map)
map-heading = Mapa usług
map-title = Mapa usług społecznych w gminach Metropolii Krakowskiej
# $name: municipality
map-title-municipality = Gmina { $name } na mapie Metropolii Krakowskiej
# $name: category of services
map-title-category = { $name }: mapa usług w gminach Metropolii Krakowskiej
map-category-title = Mapa usług: { $name }
map-desc = Każda gmina na mapie jest linkiem do swojej strony, a liczba w gminie to liczba usług. Usługi z lokalizacją na mapie: { $located }. Usługi bez lokalizacji: { $unlocated }; są wymienione na liście obok mapy.
# Accessible name of a municipality on the map.
map-region-label = { $name }: { $count ->
    [one] { $count } usługa
    [few] { $count } usługi
    [many] { $count } usług
   *[other] { $count } usługi
}
# Accessible name of a service marker. $category: its category.
map-marker-label = { $name } ({ $category })
map-legend-heading = Legenda
map-legend-region = Gmina: kliknij, aby otworzyć jej stronę. Liczba to liczba usług w gminie.
# $count: services of the category, $located: how many of them are on the map.
map-legend-category = { $count ->
    [one] { $count } usługa
    [few] { $count } usługi
    [many] { $count } usług
   *[other] { $count } usługi
}, na mapie: { $located }
map-legend-unlocated = { $count ->
    [one] { $count } usługa bez lokalizacji
    [few] { $count } usługi bez lokalizacji
    [many] { $count } usług bez lokalizacji
   *[other] { $count } usługi bez lokalizacji
} (na liście, nie na mapie)
map-list-heading = Usługi z mapy jako lista
map-list-summary = Pokaż usługi z mapy jako listę
map-unlocated = bez lokalizacji na mapie
map-empty = Nie mamy jeszcze informacji o takich usługach.
map-categories-heading = Pokaż na mapie jedną kategorię
map-all-categories = Wszystkie kategorie
map-open = Zobacz mapę usług z filtrami
map-open-interactive = Otwórz tę kategorię na mapie interaktywnej
map-municipality-open = Pokaż tę gminę na mapie interaktywnej
map-municipality-note = Ta sama informacja jako lista: usługi gminy poniżej, w części „Usługi”.
map-filters-heading = Filtruj usługi
map-filter-category = Kategoria
map-filter-language = Język obsługi
map-filter-municipality = Gmina
map-filter-any = wszystkie
map-filter-reset = Wyczyść filtry
# $n is replaced by the number in the browser; $count selects the plural form.
map-results = { $count ->
    [one] Pokazujemy { $n } usługę
    [few] Pokazujemy { $n } usługi
    [many] Pokazujemy { $n } usług
   *[other] Pokazujemy { $n } usługi
}
# Number of services in the interactive map; $n is replaced in the browser.
map-count = { $count ->
    [one] { $n } usługa
    [few] { $n } usługi
    [many] { $n } usług
   *[other] { $n } usługi
}
map-results-located = na mapie: { $n }
map-results-filters = filtry: { $n }
map-results-no-filters = bez filtrów
map-interactive-label = Interaktywna mapa usług. Strzałki przesuwają mapę, klawisze plus i minus ją przybliżają i oddalają.
map-skip = Pomiń mapę interaktywną
map-popup-address = Adres
map-popup-hours = Godziny otwarcia
map-popup-languages = Języki obsługi
map-popup-details = Szczegóły usługi
map-popup-municipality = Strona gminy
map-popup-none = Żadna usługa tej gminy nie spełnia wybranych filtrów.
map-popup-close = Zamknij okienko
map-zoom-in = Przybliż
map-zoom-out = Oddal
map-tiles-failed = Nie udało się wczytać podkładu mapy. Granice gmin i usługi pokazujemy na jednolitym tle.
map-load-failed = Nie udało się wczytać mapy interaktywnej. Obok jest mapa statyczna i lista usług.

## Search (the box in the header and the search page; search.js gets them from the page)

search-landmark = Wyszukiwarka serwisu
search-label = Czego szukasz?
search-button = Szukaj
search-hint = Na przykład: PESEL, żłobek, ośrodek pomocy społecznej, Wieliczka. Polskie znaki nie są konieczne.
search-results-title = Wyniki wyszukiwania
# $count selects the plural form; $shown is the number as search.js writes it.
search-count = { $count ->
    [one] Znaleziono { $shown } wynik
    [few] Znaleziono { $shown } wyniki
   *[many] Znaleziono { $shown } wyników
}
search-none = Nic nie znaleziono. Sprawdź pisownię albo wpisz tylko początek słowa.
search-searching = Szukam…
search-failed = Wyszukiwarka nie działa w tej chwili. Odśwież stronę i spróbuj ponownie.
search-unavailable = Wyszukiwarka nie jest dostępna w tej wersji serwisu.
search-result-municipality = Gmina
search-result-category = Kategoria
search-more = Pokaż więcej wyników
search-filters = Zawęź wyniki
search-filter-any = wszystkie

## Sources, dates and gaps (docs/provenance.md)
category-crisis-intervention = Interwencja kryzysowa
category-self-help-home = Środowiskowy dom samopomocy
category-food-aid = Pomoc żywnościowa
provenance-as-of = stan na: { $date }
provenance-undated = data źródła nieznana
provenance-sources = Źródła
provenance-old = Niektóre dane pochodzą ze źródła starszego niż trzy lata. Przy tych danych podajemy datę.
date-month-year = { $month } { $year }
date-year = { $year }
date-approximate = ok. { $date }
month-1 = styczeń
month-2 = luty
month-3 = marzec
month-4 = kwiecień
month-5 = maj
month-6 = czerwiec
month-7 = lipiec
month-8 = sierpień
month-9 = wrzesień
month-10 = październik
month-11 = listopad
month-12 = grudzień
service-fact-name = nazwa
service-fact-operator = prowadzący
service-fact-address = adres
service-fact-phone = telefon
service-fact-email = e-mail
service-fact-website = strona internetowa
service-fact-hours = godziny otwarcia
service-fact-coordinates = położenie na mapie
service-fact-districts = obsługiwane dzielnice
missing-address = adres nieznany
missing-phone = telefon nieznany
missing-email = e-mail nieznany
missing-website = strona internetowa nieznana
missing-hours = godziny otwarcia nieznane
fact-unconfirmed = do potwierdzenia
fact-unconfirmed-list = Do potwierdzenia: { $facts }. Źródła podają różne informacje albo źródło jest słabe – sprawdź przed wizytą.
fact-old = stan na: { $date }
service-serves = Obsługuje też gminy
service-serves-note = Ta placówka ma siedzibę w innej gminie: { $name }.
cite-label = Źródło { $number }
guide-fact-choose = wybierz swoją gminę poniżej
completeness-services-heading = Czego brakuje w usługach
completeness-services-intro = Dla każdej gminy: usługi, którym brakuje danych kontaktowych, i dane ze źródeł starszych niż trzy lata. Te informacje warto znaleźć w pierwszej kolejności.
completeness-missing = Brakuje
completeness-old = Dane starsze niż trzy lata
completeness-unconfirmed = Do potwierdzenia
completeness-nothing = Wszystkie dane kontaktowe są uzupełnione i aktualne.
badge-unverified = niepotwierdzone – sprawdź przed wizytą
guide-fact-missing-office = adresu jeszcze nie podajemy – znajdziesz go na stronie gminy:

## Link previews (Open Graph)
og-description = Usługi społeczne w 15 gminach Metropolii Krakowskiej: pomoc społeczna, wsparcie w kryzysie, informacje dla cudzoziemców. Przy każdej informacji podajemy źródło i datę.
og-image-alt = Mapa 15 gmin Metropolii Krakowskiej i nazwa portalu w trzech językach
og-image-alt-municipality = Mapa Metropolii Krakowskiej z zaznaczoną gminą { $name }
