# UI strings of the portal theme: English (en-GB).
# Keys must be identical in pl.ftl, en.ftl and uk.ftl.
# Plural categories (CLDR, en): one = 1; other = everything else.

## Header and navigation

skip-link = Skip to main content
lang-switcher-label = Languages
main-nav-label = Main menu
nav-about = About the association
nav-strategy = Strategy
nav-forum = Social Services Forum
breadcrumb-label = You are here
breadcrumb-home = Home

## Pages shown in Polish because a translation is missing

fallback-notice = This page is not yet available in English. It is shown in Polish.
fallback-badge = (in Polish)

## Page details

published = Published
updated = Updated
toc-title = Contents
prev-next-label = More in this section
previous = Previous
next = Next

## Lists and pagination

section-subsections-heading = Sections
section-pages-heading = Pages in this section
empty-list = There are no pages here yet.
empty-terms = There are no categories yet.
pages-count =
    { $count ->
        [one] { $count } page
       *[other] { $count } pages
    }
pager-label = Pages of this list
pager-previous = Previous page
pager-next = Next page
# $name: number of the current page of the list, $count: number of pages.
pager-position = Page { $name } of { $count }

## Feeds

# $name: title of the section.
feed-title = { $name }: Atom feed
feed-subscribe = Subscribe to new posts (Atom feed)

## Taxonomies

taxonomy-categories = Categories

## Home page

home-sections-heading = What you will find here
home-latest-forum = Latest Forum summaries
home-all-forum = All meetings of the Social Services Forum
home-find-heading = Find a service
home-find-by-municipality = By municipality
home-find-all-municipalities = All municipalities and their services
home-find-by-need = By need
home-guide-heading = Information for migrants in English
home-guide-text = Legal stay, PESEL, seeing a doctor, emergency numbers, social assistance and childcare: the same information in every municipality, with the offices of your own municipality.

## Page not found

not-found-title = Page not found
not-found-text = There is no page at this address. The address may be mistyped, or the page may have moved.
not-found-home = Go to the home page
not-found-other-languages = Home page in other languages

## Footer

footer-association = Kraków Metropolis Association
footer-purpose = Information about social services in the 15 municipalities of the Kraków Metropolis.
footer-contact = Contact the Association: {$site}

## Typed content: vocabularies (codes in src/schema/vocab.rs)
category-ops = Social assistance centre
category-ops-branch = Branch of a social assistance centre
category-family-support = Family support
category-nursery = Nursery or children's club
category-senior-club = Senior club
category-senior-day-care = Day care for seniors
category-day-support = Day-support centre for children
category-respite-care = Respite care
category-health = Health
category-housing = Housing
category-migrant-information = Information point for foreigners
category-legal-aid = Legal aid and advice
category-social-economy = Social economy
category-public-office = Public office
area-services = Quality and accessibility of social, care and health services
area-childcare = Care for children under 3
area-migration = A coherent migration policy
area-housing = Housing and revitalisation
audience-everyone = All residents
audience-children = Children
audience-youth = Young people
audience-families = Families
audience-seniors = Older people
audience-people-with-disabilities = People with disabilities
audience-carers = Carers
audience-migrants = Foreigners
audience-people-in-crisis = People in crisis
language-pl = Polish
language-en = English
language-uk = Ukrainian
language-ru = Russian
language-de = German
language-fr = French
language-be = Belarusian
language-ka = Georgian
language-pso = Polish Sign Language
municipality-type-urban = urban municipality
municipality-type-urban-rural = urban-rural municipality
municipality-type-rural = rural municipality
wheelchair-yes = Wheelchair accessible
wheelchair-limited = Partly wheelchair accessible
wheelchair-no = Not wheelchair accessible
fact-ops = the social assistance centre in your municipality
fact-migrant-point = the nearest information point for foreigners
fact-legalisation-office = the office where you legalise your stay
fact-municipal-office = the municipal office
fact-nursery = a nursery or children's club
forum-social-services-forum = Social Services Forum
forum-metropolis-forum = Kraków Metropolis Forum
forum-general-meeting = General Meeting of the Association
compliance-full = fully compliant
compliance-partial = partially compliant
compliance-none = not compliant

## Days of the week (opening hours)
day-0 = Monday
day-1 = Tuesday
day-2 = Wednesday
day-3 = Thursday
day-4 = Friday
day-5 = Saturday
day-6 = Sunday
hours-closed = closed
hours-public-holidays = Public holidays
hours-always = Open 24 hours, every day

## Service and municipality pages
contact-heading = Contact
contact-address = Address
contact-phone = Phone
contact-email = E-mail
contact-website = Website
contact-hours = Opening hours
contact-languages = Languages spoken
contact-unknown = not known
service-category = Type
service-provider = Run by
service-audiences = For whom
service-wheelchair = Access
service-areas = 4US plan area
service-municipality = Municipality
provenance-heading = Where this information comes from
provenance-source = Source
provenance-verified = The facts come from the official site of the institution or municipality
provenance-unverified = The facts do not come from an official site – check them before you go
provenance-reviewed = Last checked
provenance-not-reviewed = The portal's editors have not yet re-checked these facts at the source
municipality-facts = Key facts
municipality-teryt = TERYT code
municipality-type = Type of municipality
municipality-county = County (powiat)
municipality-seat = Seat
municipality-area = Area
municipality-area-value = { $area } km²
municipality-services = Services in the municipality
municipality-services-count = { $count ->
    [one] { $count } service
   *[other] { $count } services
}
municipality-no-services = We do not have information about services in this municipality yet.
municipality-office = Municipal office
municipality-office-name = Name
municipality-migrant-pack = Information for foreigners in this municipality
forum-meeting = Meeting
forum-date = Date
forum-date-approximate = Date (approximate)
forum-place = Place
forum-topics = Topics
forum-speakers = Speakers
forum-outcomes = Outcomes
forum-areas = 4US plan areas
guide-local-versions = Versions for each municipality
guide-local-facts = Contacts in your municipality
guide-fact-missing = not yet provided – ask at your municipal office
guide-for-municipality = Municipality: { $name }
guide-pack-title = Information for foreigners – { $name }
guide-pack-intro = All topics in one place. You can print this page.
guide-topics = Topics
guide-print = The printed version contains all topics.

## Accessibility statement
footer-accessibility = Accessibility statement
statement-heading = Accessibility statement
statement-entity-intro = Public body
statement-site = Website
statement-published = Date the website was published
statement-updated = Date of the last major update
statement-status = Compliance status
statement-prepared = Date the statement was prepared
statement-method = How it was prepared
statement-contact = Contact person
statement-email = E-mail
statement-phone = Phone
statement-missing = not yet provided
undated = Date unknown

## Data completeness (for editors)
completeness-slug = data completeness
completeness-title = Data completeness
completeness-intro = For editors: which local facts needed by the guides for foreigners each municipality has.
completeness-caption = Municipality × local fact
state-present = present, checked
state-unverified = not confirmed
state-stale = not checked recently
state-missing = missing

## Service maps (static SVG maps, their lists and the interactive map)
map-heading = Service map
map-title = Map of social services in the municipalities of the Kraków Metropolis
# $name: municipality
map-title-municipality = { $name } on the map of the Kraków Metropolis
# $name: category of services
map-title-category = { $name }: map of services in the municipalities of the Kraków Metropolis
map-category-title = Service map: { $name }
map-desc = Each municipality on the map links to its page, and the number in it is its number of services. Services with a location on the map: { $located }. Services without a location: { $unlocated }; they are listed next to the map.
# Accessible name of a municipality on the map.
map-region-label = { $name }: { $count ->
    [one] { $count } service
   *[other] { $count } services
}
# Accessible name of a service marker. $category: its category.
map-marker-label = { $name } ({ $category })
map-legend-heading = Key
map-legend-region = Municipality: select it to open its page. The number is its number of services.
# $count: services of the category, $located: how many of them are on the map.
map-legend-category = { $count ->
    [one] { $count } service
   *[other] { $count } services
}, on the map: { $located }
map-legend-unlocated = { $count ->
    [one] { $count } service without a location
   *[other] { $count } services without a location
} (listed, not on the map)
map-list-heading = The services of the map as a list
map-list-summary = Show the services of the map as a list
map-unlocated = no location on the map
map-empty = We have no information about such services yet.
map-categories-heading = Show one category on the map
map-all-categories = All categories
map-open = See the service map with filters
map-open-interactive = Open this category on the interactive map
map-municipality-open = Show this municipality on the interactive map
map-municipality-note = The same information as a list: the municipality's services below, under “Services”.
map-filters-heading = Filter the services
map-filter-category = Category
map-filter-language = Language spoken
map-filter-municipality = Municipality
map-filter-any = all
map-filter-reset = Clear filters
# $n is replaced by the number in the browser; $count selects the plural form.
map-results = { $count ->
    [one] Showing { $n } service
   *[other] Showing { $n } services
}
# Number of services in the interactive map; $n is replaced in the browser.
map-count = { $count ->
    [one] { $n } service
   *[other] { $n } services
}
map-results-located = on the map: { $n }
map-results-filters = filters: { $n }
map-results-no-filters = no filters
map-interactive-label = Interactive service map. Arrow keys move the map; plus and minus zoom in and out.
map-skip = Skip the interactive map
map-popup-address = Address
map-popup-hours = Opening hours
map-popup-languages = Languages spoken
map-popup-details = Service details
map-popup-municipality = Municipality page
map-popup-none = No service of this municipality matches the chosen filters.
map-popup-close = Close this box
map-zoom-in = Zoom in
map-zoom-out = Zoom out
map-tiles-failed = The map background could not be loaded. Municipality boundaries and services are shown on a plain background.
map-load-failed = The interactive map could not be loaded. The static map and the list of services are next to it.

## Search (the box in the header and the search page; search.js gets them from the page)

search-landmark = Site search
search-label = What are you looking for?
search-button = Search
search-hint = For example: PESEL, nursery, social assistance centre, Wieliczka. Polish place names work with or without Polish letters.
search-results-title = Search results
# $count selects the plural form; $shown is the number as search.js writes it.
search-count = { $count ->
    [one] { $shown } result found
   *[other] { $shown } results found
}
search-none = Nothing found. Check the spelling or type just the beginning of a word.
search-searching = Searching…
search-failed = Search is not working at the moment. Reload the page and try again.
search-unavailable = Search is not available in this version of the site.
search-result-municipality = Municipality
search-result-category = Category
search-more = Show more results
search-filters = Narrow the results
search-filter-any = all

## Sources, dates and gaps (docs/provenance.md)
category-crisis-intervention = Crisis intervention
category-self-help-home = Community self-help centre
category-food-aid = Food aid
provenance-as-of = as of { $date }
provenance-undated = date of the source not known
provenance-sources = Sources
provenance-old = Some facts come from a source older than three years. We show the date next to them.
date-month-year = { $month } { $year }
date-year = { $year }
date-approximate = about { $date }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
service-fact-name = name
service-fact-operator = operator
service-fact-address = address
service-fact-phone = phone
service-fact-email = e-mail
service-fact-website = website
service-fact-hours = opening hours
service-fact-coordinates = location on the map
service-fact-districts = districts served
missing-address = address not yet known
missing-phone = phone number not yet known
missing-email = e-mail not yet known
missing-website = website not yet known
missing-hours = opening hours not yet known
fact-unconfirmed = to be confirmed
fact-unconfirmed-list = To be confirmed: { $facts }. The sources disagree or the source is weak – check before you go.
fact-old = as of { $date }
service-serves = Also serves
service-serves-note = This centre is based in another municipality: { $name }.
cite-label = Source { $number }
guide-fact-choose = choose your municipality below
completeness-services-heading = What the services lack
completeness-services-intro = For each municipality: services that lack contact details, and facts from sources older than three years. These are the facts to find first.
completeness-missing = Missing
completeness-old = Older than three years
completeness-unconfirmed = To be confirmed
completeness-nothing = All contact details are filled in and current.
badge-unverified = not confirmed – check before you go
guide-fact-missing-office = address not yet on this portal – see the municipality's website:

## Link previews (Open Graph)
og-description = Social services in the 15 municipalities of the Kraków Metropolis: social assistance, crisis support, information for migrants. Every fact comes with its source and date.
og-image-alt = Map of the 15 municipalities of the Kraków Metropolis with the portal's name in three languages
og-image-alt-municipality = Map of the Kraków Metropolis with the municipality of { $name } highlighted
