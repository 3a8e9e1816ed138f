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

## Page not found

not-found-title = Page not found
not-found-text = There is no page at this address. The address may be mistyped, or the page may have moved.
not-found-home = Go to the home page
not-found-other-languages = Home page in other languages

## Footer

footer-association = Kraków Metropolis Association
footer-purpose = Information about social services in the 15 municipalities of the Kraków Metropolis.
