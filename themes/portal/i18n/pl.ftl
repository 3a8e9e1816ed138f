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

## Page not found

not-found-title = Nie znaleziono strony
not-found-text = Pod tym adresem nie ma żadnej strony. Adres może zawierać błąd albo strona została przeniesiona.
not-found-home = Przejdź do strony głównej
not-found-other-languages = Strona główna w innych językach

## Footer

footer-association = Stowarzyszenie Metropolia Krakowska
footer-purpose = Informacje o usługach społecznych w 15 gminach Metropolii Krakowskiej.
