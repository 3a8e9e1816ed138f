//! Where a URL on a rendered page points: outside the site, to a file of the output (and which
//! anchor), or to the site's host but outside its base path (a link that works on a local
//! server and breaks once published under a sub-path).

use percent_encoding::percent_decode_str;
use url::Url;

/// A URL of a page, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another host, or a scheme such as `mailto:` and `tel:`.
    External,
    /// A path of the site (after the base path, starting with `/`), and the decoded fragment.
    Internal { path: String, fragment: Option<String> },
    /// A path of the site's host outside the base path, written without the host (`/x/` on a
    /// site published under `/portal/`).
    OutsideBase { path: String },
    /// The URL cannot be parsed.
    Malformed(String),
}

/// The site's address, for resolving the URLs of its pages.
#[derive(Debug, Clone)]
pub(crate) struct SiteUrl {
    base: Url,
    /// The base path without a trailing slash: `/portal`, or `` at the host's root.
    base_path: String,
}

impl SiteUrl {
    /// `base_url` from the configuration (`https://example.org/portal/`).
    pub(crate) fn new(base_url: &str) -> Result<SiteUrl, String> {
        let with_slash = format!("{}/", base_url.trim_end_matches('/'));
        let base = Url::parse(&with_slash).map_err(|err| format!("base_url `{base_url}` is not a URL: {err}"))?;
        let base_path = base.path().trim_end_matches('/').to_string();
        Ok(SiteUrl { base, base_path })
    }

    /// Resolves `url`, found on the page at `page` (its path with the base path, `/portal/en/x/`).
    pub(crate) fn resolve(&self, page: &str, url: &str) -> Target {
        let page = match self.base.join(page) {
            Ok(page) => page,
            Err(err) => return Target::Malformed(err.to_string()),
        };
        let target = match page.join(url.trim()) {
            Ok(target) => target,
            Err(err) => return Target::Malformed(err.to_string()),
        };
        if !matches!(target.scheme(), "http" | "https")
            || target.host_str() != self.base.host_str()
            || target.port_or_known_default() != self.base.port_or_known_default()
        {
            return Target::External;
        }
        let path = decode(target.path());
        let fragment = target.fragment().map(decode);
        let inside = match path.strip_prefix(&self.base_path) {
            Some("") => Some("/".to_string()),
            Some(rest) if rest.starts_with('/') => Some(rest.to_string()),
            _ => None,
        };
        // A full address of the host outside the base path is another site on the same host
        // (the association's main site, say); a path without a host is a mistake.
        let has_host = Url::parse(url.trim()).is_ok() || url.trim_start().starts_with("//");
        match inside {
            Some(path) => Target::Internal { path, fragment },
            None if has_host => Target::External,
            None => Target::OutsideBase { path },
        }
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The output file a site path is served from (`/en/x/` → `en/x/index.html`; `/en/x` also
/// finds `en/x/index.html`, as static servers redirect to the folder), if it exists.
pub(crate) fn output_file(path: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return exists(&index).then_some(index);
    }
    if exists(rel) {
        return Some(rel.to_string());
    }
    let index = format!("{rel}/index.html");
    exists(&index).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal { path: path.to_string(), fragment: fragment.map(str::to_string) }
    }

    #[test]
    fn resolves_against_the_page_and_the_base_path() {
        let site = SiteUrl::new("https://example.org/portal").unwrap();
        let page = "/portal/en/about/";
        assert_eq!(site.resolve(page, "/portal/en/forum/#x"), internal("/en/forum/", Some("x")));
        assert_eq!(site.resolve(page, "#top"), internal("/en/about/", Some("top")));
        assert_eq!(site.resolve(page, "../gminy/?q=1"), internal("/en/gminy/", None));
        assert_eq!(site.resolve(page, "https://example.org/portal/"), internal("/", None));
        assert_eq!(site.resolve(page, "/portal/%C5%82%C3%B3d%C5%BA/"), internal("/łódź/", None));
        assert_eq!(site.resolve(page, "/en/forum/"), Target::OutsideBase { path: "/en/forum/".to_string() });
        assert_eq!(site.resolve(page, "/portalx/"), Target::OutsideBase { path: "/portalx/".to_string() });
        assert_eq!(site.resolve(page, "https://other.org/portal/"), Target::External);
        assert_eq!(site.resolve(page, "https://example.org/urzad/"), Target::External);
        assert_eq!(site.resolve(page, "mailto:a@example.org"), Target::External);
        assert_eq!(site.resolve(page, "tel:+48123"), Target::External);
        assert!(matches!(site.resolve(page, "http://[::1"), Target::Malformed(_)));
        let root = SiteUrl::new("https://example.org/").unwrap();
        assert_eq!(root.resolve("/", "/en/"), internal("/en/", None));
        assert_eq!(root.resolve("/", "//example.org/x.css"), internal("/x.css", None));
    }

    #[test]
    fn output_files() {
        let files = ["index.html", "en/x/index.html", "css/a.css"];
        let exists = |p: &str| files.contains(&p);
        assert_eq!(output_file("/", exists).as_deref(), Some("index.html"));
        assert_eq!(output_file("/en/x/", exists).as_deref(), Some("en/x/index.html"));
        assert_eq!(output_file("/en/x", exists).as_deref(), Some("en/x/index.html"));
        assert_eq!(output_file("/css/a.css", exists).as_deref(), Some("css/a.css"));
        assert_eq!(output_file("/en/y/", exists), None);
    }
}
