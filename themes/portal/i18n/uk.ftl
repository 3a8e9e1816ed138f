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
home-find-heading = Знайти послугу
home-find-by-municipality = За гміною
home-find-all-municipalities = Усі гміни та їхні послуги
home-find-by-need = За потребою
home-guide-heading = Інформація для мігрантів українською
home-guide-text = Легальне перебування, PESEL, лікар, номери екстрених служб, соціальна допомога та догляд за дітьми: та сама інформація в кожній гміні, з адресами установ саме вашої гміни.

## Page not found

not-found-title = Сторінку не знайдено
not-found-text = За цією адресою немає сторінки. Можливо, в адресі є помилка або сторінку перенесено.
not-found-home = Перейти на головну сторінку
not-found-other-languages = Головна сторінка іншими мовами

## Footer

footer-association = Асоціація «Краківська метрополія»
footer-purpose = Інформація про соціальні послуги в 15 гмінах Краківської метрополії.
footer-contact = Зв’язатися з Асоціацією: сайт {$site}

## Typed content: vocabularies (codes in src/schema/vocab.rs)
category-ops = Центр соціальної допомоги
category-ops-branch = Філія центру соціальної допомоги
category-family-support = Підтримка сімʼї
category-nursery = Ясла або дитячий клуб
category-senior-club = Клуб для людей похилого віку
category-senior-day-care = Денний догляд для людей похилого віку
category-day-support = Заклад денної підтримки для дітей
category-respite-care = Тимчасова підміна опікунів
category-health = Здоровʼя
category-housing = Житло
category-migrant-information = Інформаційний пункт для іноземців
category-legal-aid = Правова допомога і консультації
category-social-economy = Соціальна економіка
category-public-office = Державна установа
area-services = Якість і доступність соціальних, опікунських і медичних послуг
area-childcare = Догляд за дітьми до 3 років
area-migration = Узгоджена міграційна політика
area-housing = Житло і ревіталізація
audience-everyone = Усі мешканці
audience-children = Діти
audience-youth = Молодь
audience-families = Сімʼї
audience-seniors = Люди похилого віку
audience-people-with-disabilities = Люди з інвалідністю
audience-carers = Опікуни
audience-migrants = Іноземці
audience-people-in-crisis = Люди в кризі
language-pl = польська
language-en = англійська
language-uk = українська
language-ru = російська
language-de = німецька
language-fr = французька
language-be = білоруська
language-ka = грузинська
language-pso = польська жестова мова
municipality-type-urban = міська гміна
municipality-type-urban-rural = місько-сільська гміна
municipality-type-rural = сільська гміна
wheelchair-yes = Доступно для людей на візках
wheelchair-limited = Частково доступно для людей на візках
wheelchair-no = Недоступно для людей на візках
fact-ops = центр соціальної допомоги у вашій гміні
fact-migrant-point = найближчий інформаційний пункт для іноземців
fact-legalisation-office = установа, де легалізують перебування
fact-municipal-office = управління гміни
fact-nursery = ясла або дитячий клуб
forum-social-services-forum = Форум соціальних послуг
forum-metropolis-forum = Форум Краківської метрополії
forum-general-meeting = Загальні збори членів Асоціації
compliance-full = повністю відповідає
compliance-partial = частково відповідає
compliance-none = не відповідає

## Days of the week (opening hours)
day-0 = понеділок
day-1 = вівторок
day-2 = середа
day-3 = четвер
day-4 = пʼятниця
day-5 = субота
day-6 = неділя
hours-closed = зачинено
hours-public-holidays = Святкові дні
hours-always = Цілодобово, щодня

## Service and municipality pages
contact-heading = Контакти
contact-address = Адреса
contact-phone = Телефон
contact-email = Електронна пошта
contact-website = Вебсайт
contact-hours = Години роботи
contact-languages = Мови обслуговування
contact-unknown = немає даних
service-category = Тип
service-provider = Керує
service-audiences = Для кого
service-wheelchair = Доступність
service-areas = Напрям плану 4US
service-municipality = Гміна
provenance-heading = Звідки ця інформація
provenance-source = Джерело
provenance-verified = Дані взято з офіційного сайту установи або гміни
provenance-unverified = Дані взято не з офіційного сайту – перевірте їх перед візитом
provenance-reviewed = Востаннє перевірено
provenance-not-reviewed = Редакція порталу ще не перевіряла ці дані в джерелі
municipality-facts = Основна інформація
municipality-teryt = Код TERYT
municipality-type = Тип гміни
municipality-county = Повіт
municipality-seat = Осідок
municipality-area = Площа
municipality-area-value = { $area } км²
municipality-services = Послуги в гміні
municipality-services-count = { $count ->
    [one] { $count } послуга
    [few] { $count } послуги
    [many] { $count } послуг
   *[other] { $count } послуги
}
municipality-no-services = У нас ще немає інформації про послуги в цій гміні.
municipality-office = Управління гміни
municipality-office-name = Назва
municipality-migrant-pack = Інформація для іноземців у цій гміні
forum-meeting = Зустріч
forum-date = Дата
forum-date-approximate = Дата (приблизна)
forum-place = Місце
forum-topics = Теми
forum-speakers = Виступи
forum-outcomes = Домовленості
forum-areas = Напрями плану 4US
guide-local-versions = Версії для окремих гмін
guide-local-facts = Контакти у вашій гміні
guide-fact-missing = ще не заповнено – запитайте в управлінні своєї гміни
guide-for-municipality = Гміна: { $name }
guide-pack-title = Інформація для іноземців – { $name }
guide-pack-intro = Усі теми в одному місці. Цю сторінку можна надрукувати.
guide-topics = Теми
guide-print = Версія для друку містить усі теми.

## Accessibility statement
footer-accessibility = Декларація доступності
statement-heading = Декларація доступності
statement-entity-intro = Публічний субʼєкт
statement-site = Вебсайт
statement-published = Дата публікації сайту
statement-updated = Дата останнього великого оновлення
statement-status = Статус відповідності закону
statement-prepared = Дата складання декларації
statement-method = Спосіб підготовки
statement-contact = Контактна особа
statement-email = Електронна пошта
statement-phone = Телефон
statement-missing = ще не вказано
undated = Дата невідома

## Data completeness (for editors)
completeness-slug = povnota danykh
completeness-title = Повнота даних
completeness-intro = Для редакції: яку місцеву інформацію для порадників для іноземців має кожна гміна.
completeness-caption = Гміна × місцева інформація
state-present = є, перевірено
state-unverified = не підтверджено
state-stale = давно не перевіряли
state-missing = немає

## Service maps (static SVG maps, their lists and the interactive map)
map-heading = Мапа послуг
map-title = Мапа соціальних послуг у гмінах Краківської метрополії
# $name: municipality
map-title-municipality = Гміна { $name } на мапі Краківської метрополії
# $name: category of services
map-title-category = { $name }: мапа послуг у гмінах Краківської метрополії
map-category-title = Мапа послуг: { $name }
map-desc = Кожна гміна на мапі є посиланням на свою сторінку, а число в гміні – це кількість послуг. Послуги з місцем на мапі: { $located }. Послуги без місця на мапі: { $unlocated }; їх перелічено у списку поруч із мапою.
# Accessible name of a municipality on the map.
map-region-label = { $name }: { $count ->
    [one] { $count } послуга
    [few] { $count } послуги
    [many] { $count } послуг
   *[other] { $count } послуги
}
# Accessible name of a service marker. $category: its category.
map-marker-label = { $name } ({ $category })
map-legend-heading = Умовні позначення
map-legend-region = Гміна: виберіть її, щоб відкрити її сторінку. Число – це кількість послуг у гміні.
# $count: services of the category, $located: how many of them are on the map.
map-legend-category = { $count ->
    [one] { $count } послуга
    [few] { $count } послуги
    [many] { $count } послуг
   *[other] { $count } послуги
}, на мапі: { $located }
map-legend-unlocated = { $count ->
    [one] { $count } послуга без місця на мапі
    [few] { $count } послуги без місця на мапі
    [many] { $count } послуг без місця на мапі
   *[other] { $count } послуги без місця на мапі
} (у списку, не на мапі)
map-list-heading = Послуги з мапи у вигляді списку
map-list-summary = Показати послуги з мапи у вигляді списку
map-unlocated = без місця на мапі
map-empty = У нас ще немає інформації про такі послуги.
map-categories-heading = Показати на мапі одну категорію
map-all-categories = Усі категорії
map-open = Переглянути мапу послуг із фільтрами
map-open-interactive = Відкрити цю категорію на інтерактивній мапі
map-municipality-open = Показати цю гміну на інтерактивній мапі
map-municipality-note = Та сама інформація у вигляді списку: послуги гміни нижче, у розділі «Послуги».
map-filters-heading = Фільтрувати послуги
map-filter-category = Категорія
map-filter-language = Мова обслуговування
map-filter-municipality = Гміна
map-filter-any = усі
map-filter-reset = Скинути фільтри
# $n is replaced by the number in the browser; $count selects the plural form.
map-results = { $count ->
    [one] Показуємо { $n } послугу
    [few] Показуємо { $n } послуги
    [many] Показуємо { $n } послуг
   *[other] Показуємо { $n } послуги
}
# Number of services in the interactive map; $n is replaced in the browser.
map-count = { $count ->
    [one] { $n } послуга
    [few] { $n } послуги
    [many] { $n } послуг
   *[other] { $n } послуги
}
map-results-located = на мапі: { $n }
map-results-filters = фільтри: { $n }
map-results-no-filters = без фільтрів
map-interactive-label = Інтерактивна мапа послуг. Стрілки пересувають мапу, клавіші плюс і мінус наближають і віддаляють її.
map-skip = Пропустити інтерактивну мапу
map-popup-address = Адреса
map-popup-hours = Години роботи
map-popup-languages = Мови обслуговування
map-popup-details = Докладніше про послугу
map-popup-municipality = Сторінка гміни
map-popup-none = Жодна послуга цієї гміни не відповідає вибраним фільтрам.
map-popup-close = Закрити віконце
map-zoom-in = Наблизити
map-zoom-out = Віддалити
map-tiles-failed = Не вдалося завантажити підкладку мапи. Межі гмін і послуги показано на однотонному тлі.
map-load-failed = Не вдалося завантажити інтерактивну мапу. Поруч є статична мапа і список послуг.

## Search (the box in the header and the search page; search.js gets them from the page)

search-landmark = Пошук на сайті
search-label = Що ви шукаєте?
search-button = Шукати
search-hint = Наприклад: PESEL, лікар, житло, допомога, Величка. Назви міст можна писати й польською: Wieliczka.
search-results-title = Результати пошуку
# $count selects the plural form; $shown is the number as search.js writes it.
search-count = { $count ->
    [one] Знайдено { $shown } результат
    [few] Знайдено { $shown } результати
    [many] Знайдено { $shown } результатів
   *[other] Знайдено { $shown } результату
}
search-none = Нічого не знайдено. Перевірте написання або введіть лише початок слова.
search-searching = Шукаю…
search-failed = Пошук зараз не працює. Оновіть сторінку і спробуйте ще раз.
search-unavailable = Пошук недоступний у цій версії сайту.
search-result-municipality = Гміна
search-result-category = Категорія
search-more = Показати більше результатів
search-filters = Уточнити результати
search-filter-any = усі

## Sources, dates and gaps (docs/provenance.md)
category-crisis-intervention = Кризова інтервенція
category-self-help-home = Центр самодопомоги за місцем проживання
category-food-aid = Продовольча допомога
provenance-as-of = станом на { $date }
provenance-undated = дата джерела невідома
provenance-sources = Джерела
provenance-old = Деякі дані взято з джерела, старшого за три роки. Біля них ми вказуємо дату.
date-month-year = { $month } { $year } р.
date-year = { $year } р.
date-approximate = близько { $date }
month-1 = січень
month-2 = лютий
month-3 = березень
month-4 = квітень
month-5 = травень
month-6 = червень
month-7 = липень
month-8 = серпень
month-9 = вересень
month-10 = жовтень
month-11 = листопад
month-12 = грудень
service-fact-name = назва
service-fact-operator = організатор
service-fact-address = адреса
service-fact-phone = телефон
service-fact-email = електронна пошта
service-fact-website = вебсайт
service-fact-hours = години роботи
service-fact-coordinates = місце на мапі
service-fact-districts = райони обслуговування
missing-address = адреса поки невідома
missing-phone = номер телефону поки невідомий
missing-email = електронна пошта поки невідома
missing-website = вебсайт поки невідомий
missing-hours = години роботи поки невідомі
fact-unconfirmed = потребує підтвердження
fact-unconfirmed-list = Потребує підтвердження: { $facts }. Джерела подають різні дані або джерело ненадійне – перевірте перед візитом.
fact-old = станом на { $date }
service-serves = Обслуговує також гміни
service-serves-note = Ця установа розташована в іншій гміні: { $name }.
cite-label = Джерело { $number }
guide-fact-choose = виберіть свою гміну нижче
completeness-services-heading = Чого бракує в даних про послуги
completeness-services-intro = Для кожної гміни: послуги без контактних даних і дані з джерел, старших за три роки. Саме їх варто знайти насамперед.
completeness-missing = Бракує
completeness-old = Старші за три роки
completeness-unconfirmed = Потребує підтвердження
completeness-nothing = Усі контактні дані заповнені й актуальні.
badge-unverified = не підтверджено – перевірте перед візитом
guide-fact-missing-office = адреси ще немає на порталі – дивіться сайт гміни:

## Link previews (Open Graph)
og-description = Соціальні послуги в 15 гмінах Краківської метрополії: соціальна допомога, підтримка в кризі, інформація для іноземців. До кожної інформації ми додаємо джерело і дату.
og-image-alt = Мапа 15 гмін Краківської метрополії і назва порталу трьома мовами
og-image-alt-municipality = Мапа Краківської метрополії, на якій позначено гміну { $name }
