# UI strings of the portal theme: Ukrainian (uk-UA).
# Keys must be identical in pl.ftl, en.ftl and uk.ftl.
# Plural categories (CLDR, uk): one = 1, 21, 31…; few = 2–4, 22–24…; many = 0, 5–20, 25…; other = fractions.

## Header and navigation

skip-link = Перейти до основного змісту
lang-switcher-label = Мовні версії
main-nav-label = Головне меню
nav-about = Про асоціацію
nav-strategy = Стратегія
nav-forum = Форум соціальних послуг
breadcrumb-label = Ви тут
breadcrumb-home = Головна сторінка

## Pages shown in Polish because a translation is missing

fallback-notice = Ця сторінка ще недоступна українською мовою. Нижче подано текст польською.
fallback-badge = (польською)

## Page details

published = Опубліковано
updated = Оновлено
toc-title = Зміст
prev-next-label = Інші сторінки цього розділу
previous = Попередня
next = Наступна

## Lists and pagination

section-subsections-heading = Розділи
section-pages-heading = Сторінки цього розділу
empty-list = Тут ще немає жодної сторінки.
empty-terms = Категорій ще немає.
pages-count =
    { $count ->
        [one] { $count } сторінка
        [few] { $count } сторінки
        [many] { $count } сторінок
       *[other] { $count } сторінки
    }
pager-label = Сторінки списку
pager-previous = Попередня сторінка
pager-next = Наступна сторінка
# $name: number of the current page of the list, $count: number of pages.
pager-position = Сторінка { $name } з { $count }

## Feeds

# $name: title of the section.
feed-title = { $name }: стрічка Atom
feed-subscribe = Підписатися на нові матеріали (стрічка Atom)

## Taxonomies

taxonomy-categories = Категорії

## Home page

home-sections-heading = Що є на порталі
home-latest-forum = Останні підсумки Форуму
home-all-forum = Усі засідання Форуму соціальних послуг

## Page not found

not-found-title = Сторінку не знайдено
not-found-text = За цією адресою немає сторінки. Можливо, в адресі є помилка або сторінку перенесено.
not-found-home = Перейти на головну сторінку
not-found-other-languages = Головна сторінка іншими мовами

## Footer

footer-association = Асоціація «Краківська метрополія»
footer-purpose = Інформація про соціальні послуги в 15 гмінах Краківської метрополії.
