//! `attache import hugo|jekyll SRC DEST`: real excerpts (the 18F blog, the
//! Kubernetes blog) and hand-made sites become attache sites that build
//! with no broken links and no template markup left, every old URL of the
//! source redirects to its new page, and the source is never changed.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// `attache import GENERATOR SRC DEST`: the exit code and what it printed.
fn import(generator: &str, src: &Path, dest: &Path) -> (i32, String, String) {
    let out = attache(&[
        "import",
        generator,
        src.to_str().unwrap(),
        dest.to_str().unwrap(),
    ]);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn import_fixture(generator: &str, name: &str) -> (tempfile::TempDir, PathBuf, i32, String) {
    let src = fixture(&format!("import/{name}"));
    let before = tree(&src);
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    let (code, stdout, stderr) = import(generator, &src, &dest);
    assert!(
        code == 0 || code == 1,
        "import failed ({code}):\n{stdout}\n{stderr}"
    );
    assert_eq!(tree(&src), before, "the import changed its source");
    (tmp, dest, code, stdout)
}

/// Builds the imported site and checks it: no error, no link that leads
/// nowhere, no template markup in any page. Returns the output folder.
fn builds_clean(site: &Path) -> PathBuf {
    let (code, diagnostics) = check_json(site, &[]);
    let bad: Vec<_> = diagnostics
        .iter()
        .filter(|d| {
            d["severity"] == "error" || d["code"] == "broken-link" || d["code"] == "unresolved-link"
        })
        .collect();
    assert!(
        bad.is_empty() && code == 0,
        "check found problems: {bad:#?}"
    );
    let out = site.parent().unwrap().join("public");
    build_ok(site, &out, &["--drafts"]);
    for (path, bytes) in tree(&out) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            for markup in ["{{<", "{{%", "{%", "%}"] {
                assert!(!html.contains(markup), "{path} shows {markup}");
            }
        }
    }
    out
}

/// Asserts a redirect page at the old URL `url` that leads to a briefing.
fn redirects(out: &Path, url: &str) {
    let file = if url.ends_with('/') {
        format!("{}index.html", url.trim_start_matches('/'))
    } else {
        url.trim_start_matches('/').to_string()
    };
    let html = std::fs::read_to_string(out.join(&file))
        .unwrap_or_else(|e| panic!("no redirect page for the old URL {url} ({file}): {e}"));
    assert!(
        html.contains("http-equiv=\"refresh\"") && html.contains("/briefings/"),
        "{file} is not a redirect to a briefing:\n{html}"
    );
}

/// The front matter lines of a fixture file, and its body.
fn front_matter(path: &Path) -> (Vec<String>, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut parts = text.splitn(3, "---\n");
    parts.next();
    let front = parts
        .next()
        .unwrap_or("")
        .lines()
        .map(str::to_string)
        .collect();
    (front, parts.next().unwrap_or("").to_string())
}

/// The scalar value of `key:` in front matter lines, unquoted.
fn field(front: &[String], key: &str) -> Option<String> {
    front
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| !v.is_empty() && v != ">")
}

/// The items of a block list `key:` followed by `- item` lines, or its
/// inline value.
fn list(front: &[String], key: &str) -> Vec<String> {
    let Some(i) = front.iter().position(|l| l.starts_with(&format!("{key}:"))) else {
        return Vec::new();
    };
    if let Some(v) = field(front, key) {
        return vec![v];
    }
    front[i + 1..]
        .iter()
        .take_while(|l| l.trim_start().starts_with('-'))
        .map(|l| {
            l.trim_start()[1..]
                .trim()
                .trim_matches(['"', '\''])
                .to_string()
        })
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// `2016-02-09`, `2016-03-23 09:00 EDT` or `June 2, 2020` as `YYYY-MM-DD`.
fn iso_date(text: &str) -> String {
    let words: Vec<&str> = text.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match (1..=12).position(|m| attache::dates::month_name(m) == words[0]) {
        Some(m) => format!(
            "{}-{:02}-{:02}",
            words[2],
            m + 1,
            words[1].parse::<u8>().unwrap()
        ),
        None => text[..10].to_string(),
    }
}

#[test]
fn the_18f_excerpt_imports_builds_and_redirects_every_old_url() {
    let (_tmp, site, code, report) = import_fixture("jekyll", "jekyll-18f");
    // `{% include %}` and an unknown Liquid filter are listed, so the
    // import asks for a look.
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("16 briefings (1 drafts)"), "{report}");
    assert!(
        report.contains("_posts/2017-09-05-ficam-partners-with-federalist.md:31: {% include svg/blog/money_coins.svg %}"),
        "{report}"
    );
    let out = builds_clean(&site);

    // Every old URL, computed here from the fixture: `permalink: pretty`
    // (/:year/:month/:day/:title/, date from the front matter, else the
    // file name), a post's own `permalink`, and its `redirect_from`.
    let mut count = 0;
    for post in files(&fixture("import/jekyll-18f/_posts")) {
        let (front, _) = front_matter(&post);
        let name = post.file_stem().unwrap().to_str().unwrap();
        let date = field(&front, "date").map_or_else(|| name[..10].to_string(), |d| iso_date(&d));
        let permalink = field(&front, "permalink").unwrap_or_else(|| {
            format!(
                "/{}/{}/{}/{}/",
                &date[..4],
                &date[5..7],
                &date[8..10],
                &name[11..]
            )
        });
        let mut urls = vec![permalink];
        urls.extend(list(&front, "redirect_from"));
        for url in urls {
            redirects(&out, &url);
            count += 1;
        }
    }
    assert_eq!(count, 20);
    // Links between posts by their old absolute URL lead to the new page.
    let html = read(&out, "briefings/2024/18f-practices-in-action/index.html");
    assert!(
        html.contains("href=\"/briefings/2024/gathering-feedback-with-customer-panels/\""),
        "the link to the customer panels post was not made internal"
    );
    // Authors are actors, by slug, named from their profiles.
    let melody = read(&out, "actors/melody/index.html");
    assert!(melody.contains("Melody Kramer"));
    assert!(hrefs(&melody, "a[href*='/briefings/20']").len() >= 3);
}

#[test]
fn the_kubernetes_excerpt_imports_builds_and_redirects_every_old_url() {
    let (_tmp, site, code, report) = import_fixture("hugo", "hugo-kubernetes");
    assert_eq!(code, 1, "the unknown `note` shortcode is listed:\n{report}");
    assert!(
        report.contains("content/en/blog/_posts/2023/kcs-shanghai/index.md:31: {{< note >}}"),
        "{report}"
    );
    let out = builds_clean(&site);

    // Old URLs from the fixture's own front matter and its permalinks
    // pattern `/:section/:year/:month/:day/:slug/` (or the post's `url`).
    let mut count = 0;
    for post in files(&fixture("import/hugo-kubernetes/content/en/blog/_posts")) {
        let (front, _) = front_matter(&post);
        let date = field(&front, "date").unwrap();
        let (y, m, d) = (&date[..4], &date[5..7], &date[8..10]);
        let slug = field(&front, "slug").unwrap();
        let url = match field(&front, "url") {
            Some(pattern) => pattern
                .replace(":section", "blog")
                .replace(":year", y)
                .replace(":month", m)
                .replace(":slug", &slug),
            None => format!("/blog/{y}/{m}/{d}/{slug}/"),
        };
        redirects(&out, &url);
        count += 1;
    }
    assert_eq!(count, 9);
    // A byline shared by two posts is one actor, by slug, with its accents.
    let actor = read(&out, "actors/frederico-munoz/index.html");
    assert!(actor.contains("Frederico Muñoz"));
    let briefings = hrefs(&actor, "a[href^='/briefings/20']");
    assert!(briefings.iter().any(|h| h.contains("introducing-sig-etcd")));
    assert!(briefings.iter().any(|h| h.contains("sig-etcd-spotlight")));
    // Links into the rest of the old site point at it.
    let page = read(&out, "briefings/2023/happy-7th-birthday-kubeadm/index.html");
    assert!(page.contains("href=\"https://kubernetes.io/docs/setup/\""));
    // The offset date is kept.
    let text = std::fs::read_to_string(
        site.join("content/briefings/2024/steering-committee-results-2024.md"),
    )
    .unwrap();
    assert!(text.contains("date: 2024-10-02T15:10:00-05:00"), "{text}");
}

#[test]
fn hugo_shortcodes_dates_entities_and_skips_are_converted_and_reported() {
    let (_tmp, site, code, report) = import_fixture("hugo", "hugo-basic");
    assert_eq!(code, 1, "{report}");
    // Every file skipped, with why; drafts kept; unknown shortcodes with file:line.
    assert!(
        report.contains("content/posts/2017/untitled.md: no title"),
        "{report}"
    );
    assert!(
        report.contains("content/posts/2017/page.html: a .html content file"),
        "{report}"
    );
    assert!(
        report.contains("content/posts/2017/again.md: duplicate slug 'first-post' in 2017: content/posts/2017/first-post.md has it"),
        "{report}"
    );
    assert!(report.contains("content/posts/2017/draft.md"), "{report}");
    assert!(
        report.contains("content/posts/2017/café-olé.md:9: {{< gallery dir=\"photos\" >}}"),
        "{report}"
    );
    assert!(
        report.contains("content/posts/2017/first-post.md:20: {{< tweet-card id=\"42\" >}}"),
        "{report}"
    );
    assert!(
        report.contains("content/posts/2017/first-post.md:22: {{% callout %}}"),
        "{report}"
    );
    let first = std::fs::read_to_string(site.join("content/briefings/2017/first-post.md")).unwrap();
    // `2017-03-08 2:05:17 -0400`, entities and a folded title.
    assert!(first.contains("date: 2017-03-08T02:05:17-04:00"), "{first}");
    assert!(
        first.contains("title: \"Budget & results: the city's first open data release\""),
        "{first}"
    );
    assert!(first.contains("actors:\n  - \"jane-doe\"\n"), "{first}");
    let config = std::fs::read_to_string(site.join("attache.yaml")).unwrap();
    assert!(
        config.contains("title: \"Example & News\"")
            && config.contains("base_url: \"https://news.example.org/\"")
    );

    let out = builds_clean(&site);
    let page = read(&out, "briefings/2017/first-post/index.html");
    // ref/relref lead to the imported pages; youtube and figure are Markdown.
    assert!(page.contains("href=\"/briefings/2017/cafe-ole/\""));
    assert!(page.contains("href=\"/briefings/2017/bundle-post/#details\""));
    assert!(page.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""));
    assert!(page.contains("src=\"https://news.example.org/2017/03/first-post/chart.png\""));
    assert!(
        page.contains("Hugo shortcode: tweet-card"),
        "unknown shortcodes stay visible"
    );
    // Files the old site served (static/, a page bundle's) are copied and
    // keep their old paths.
    assert!(page.contains("src=\"/img/logo.png\""));
    let updated = read(&site, "content/briefings/2017/bundle-post.md");
    assert!(
        updated.contains("date: 2017-04-01\nupdated: 2017-05-02T09:00:00+00:00\n"),
        "{updated}"
    );
    let bundle = read(&out, "briefings/2017/bundle-post/index.html");
    assert!(bundle.contains("src=\"/2017/04/a-bundle/photo.jpg\""));
    let src = fixture("import/hugo-basic");
    assert_eq!(
        read(&out, "img/logo.png"),
        read(&src, "static/img/logo.png")
    );
    assert_eq!(
        read(&out, "2017/04/a-bundle/photo.jpg"),
        read(&src, "content/posts/2017/bundle-post/photo.jpg")
    );
    assert!(
        report.contains("2 images and other files copied to static/"),
        "{report}"
    );
    // Old URLs: the permalink pattern, absolute and relative `aliases`,
    // and a non-ASCII title in the URL.
    for url in [
        "/2017/03/first-post/",
        "/old/first-post.html",
        "/2017/03/moved-first/",
        "/2017/03/café-olé-the-follow-up/",
        "/2017/04/a-bundle/",
    ] {
        redirects(&out, url);
    }
    // Term pages are profiles: name, other names as aliases, description.
    let jane = std::fs::read_to_string(site.join("content/actors/jane-doe.md")).unwrap();
    assert!(
        jane.starts_with("---\nname: \"Jane Doe\"\naliases:\n  - \"J. Doe\"\n---\n"),
        "{jane}"
    );
    let topic = std::fs::read_to_string(site.join("content/topics/open-data.md")).unwrap();
    assert!(topic.contains("description: \"Public data published in machine-readable form.\""));
    // The link to the first post by its old URL, absolute or not, is internal.
    let cafe = std::fs::read_to_string(site.join("content/briefings/2017/cafe-ole.md")).unwrap();
    assert!(
        cafe.contains(
            "Back to [the first post](first-post.md) and [its old address](first-post.md)."
        ),
        "{cafe}"
    );
    let cafe = read(&out, "briefings/2017/cafe-ole/index.html");
    assert!(cafe.contains("<a href=\"/briefings/2017/first-post/\">its old address</a>"));
}

#[test]
fn jekyll_liquid_file_name_dates_and_data_authors_are_imported() {
    let (_tmp, site, code, report) = import_fixture("jekyll", "jekyll-basic");
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains("_posts/2019-02-03-first-notes.md:8: {% include signup.html %}"),
        "{report}"
    );
    assert!(
        report.contains("_drafts/someday.md: a Jekyll draft (_drafts/) has no date"),
        "{report}"
    );
    let first =
        std::fs::read_to_string(site.join("content/briefings/2019/first-notes.md")).unwrap();
    // The date comes from the file name; `&ndash;` is decoded.
    assert!(first.contains("date: 2019-02-03\n"), "{first}");
    assert!(
        first.contains("title: \"First notes – a start\""),
        "{first}"
    );
    let ana = std::fs::read_to_string(site.join("content/actors/ana.md")).unwrap();
    assert!(
        ana.contains("name: \"Ana Lima\""),
        "first and last name: {ana}"
    );
    // post_url and link become links to the new file (which `check`
    // below finds), and so to its page under the base path.
    assert!(
        first.contains("See [the later post](second.md) and\n[the same by link](second.md)."),
        "{first}"
    );
    let out = builds_clean(&site);
    let page = read(&out, "briefings/2019/first-notes/index.html");
    assert!(
        page.contains("<a href=\"/field/briefings/2019/second/\">the later post</a>"),
        "{page}"
    );
    // Aliases are relative to the base URL, as the old permalinks were.
    for url in [
        "/2019/02/03/first-notes.html",
        "/2019/05/06/second.html",
        "/2019/second/",
        "/news/updates/2019/07/08/ação-rápida.html",
    ] {
        redirects(&out, url);
    }
    let second = read(&out, "briefings/2019/second/index.html");
    assert!(second.contains("src=\"/field/assets/pic.png\""), "{second}");
    assert_eq!(
        read(&out, "assets/pic.png"),
        read(&fixture("import/jekyll-basic"), "assets/pic.png")
    );
    assert!(second.contains("Liquid like {{ this }} stays as text."));
}

#[test]
fn a_destination_that_is_not_empty_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("keep.txt"), "mine").unwrap();
    let (code, _, stderr) = import("hugo", &fixture("import/hugo-basic"), &dest);
    assert_eq!(code, 2);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(tree(&dest).len(), 1);
    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, stdout, stderr) = import("hugo", &fixture("import/hugo-basic"), &empty);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(empty.join("attache.yaml").is_file());
}

#[test]
fn a_destination_inside_the_source_is_refused_even_through_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_dir(&fixture("import/hugo-basic"), &src);
    let before = tree(&src);
    let (code, _, stderr) = import("hugo", &src, &src.join("out"));
    assert_eq!(code, 2);
    assert!(stderr.contains("inside the source site"), "{stderr}");
    #[cfg(unix)]
    {
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&src, &link).unwrap();
        let (code, _, stderr) = import("hugo", &src, &link.join("out"));
        assert_eq!(code, 2, "{stderr}");
        // The source inside the destination is refused too.
        let (code, _, stderr) = import("hugo", &src, tmp.path());
        assert_eq!(code, 2, "{stderr}");
    }
    assert_eq!(tree(&src), before);
    assert!(!tmp.path().read_dir().unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".attache-import")
    }));
}

#[test]
fn a_site_with_none_of_the_usual_sections_asks_for_one() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("content/articles")).unwrap();
    std::fs::write(
        src.join("content/articles/a.md"),
        "---\ntitle: A\ndate: 2020-01-02\n---\nText.\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let (code, _, stderr) = import("hugo", &src, &dest);
    assert_eq!(code, 2);
    assert!(stderr.contains("--section"), "{stderr}");
    assert!(!dest.exists());
    let out = attache(&[
        "import",
        "hugo",
        src.to_str().unwrap(),
        dest.to_str().unwrap(),
        "--section",
        "articles",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(dest.join("content/briefings/2020/a.md").is_file());
}

#[test]
fn the_same_source_gives_byte_identical_sites_and_reports() {
    for (generator, name) in [("hugo", "hugo-kubernetes"), ("jekyll", "jekyll-18f")] {
        let (tmp, first, _, report_1) = import_fixture(generator, name);
        let second = tmp.path().join("again");
        let (_, report_2, _) = import(generator, &fixture(&format!("import/{name}")), &second);
        assert_eq!(tree(&first), tree(&second), "{name}");
        let strip = |r: &str, dest: &Path| r.replace(dest.to_str().unwrap(), "DEST");
        assert_eq!(strip(&report_1, &first), strip(&report_2, &second));
    }
}

#[test]
fn a_jekyll_collection_is_imported_with_its_permalink_when_named() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("_reports")).unwrap();
    std::fs::write(
        src.join("_config.yml"),
        "title: Reports\nurl: https://r.example.org\ncollections:\n  reports:\n    output: true\n    permalink: /r/:path/\n",
    )
    .unwrap();
    std::fs::write(
        src.join("_reports/2021-04-05-annual.md"),
        "---\ntitle: Annual\n---\nThe year.\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let out = attache(&[
        "import",
        "jekyll",
        src.to_str().unwrap(),
        dest.to_str().unwrap(),
        "--section",
        "reports",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = std::fs::read_to_string(dest.join("content/briefings/2021/annual.md")).unwrap();
    assert!(text.contains("date: 2021-04-05\n"), "{text}");
    assert!(
        text.contains("aliases:\n  - \"/r/2021-04-05-annual/\"\n"),
        "{text}"
    );
    let public = tmp.path().join("public");
    build_ok(&dest, &public, &[]);
    redirects(&public, "/r/2021-04-05-annual/");
}

#[test]
fn an_old_url_claimed_twice_or_taken_by_a_new_page_redirects_once_and_is_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("content/posts")).unwrap();
    std::fs::write(src.join("hugo.toml"), "baseURL = \"https://ex.org/\"\n").unwrap();
    std::fs::write(
        src.join("content/posts/a.md"),
        "---\ntitle: A\ndate: 2020-01-01\naliases: [/shared/, /index.html, /briefings/2020/b/]\n---\nA\n",
    )
    .unwrap();
    std::fs::write(
        src.join("content/posts/b.md"),
        "---\ntitle: B\ndate: 2020-01-02\naliases: [/shared]\n---\nB\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let (code, report, _) = import("hugo", &src, &dest);
    assert_eq!(code, 0, "{report}");
    for note in [
        "content/posts/a.md: old URL /index.html is already taken by the home page",
        "content/posts/a.md: old URL /briefings/2020/b/ is already taken by the new page of content/posts/b.md",
        "content/posts/b.md: old URL /shared is already taken by content/posts/a.md",
    ] {
        assert!(report.contains(note), "{report}");
    }
    let public = tmp.path().join("public");
    build_ok(&dest, &public, &[]);
    redirects(&public, "/shared/");
    assert!(read(&public, "shared/index.html").contains("/briefings/2020/a/"));
}

/// Two author entries with one display name (18F has `aaron-burk` and
/// `aaronburk`, both "Aaron Burk"): each becomes its own profile, and each
/// article names its own by slug, never by the shared name.
#[test]
fn namesake_authors_stay_apart_because_articles_name_them_by_slug() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("_posts")).unwrap();
    std::fs::create_dir_all(src.join("_authors")).unwrap();
    for slug in ["aaron-burk", "aaronburk"] {
        std::fs::write(
            src.join(format!("_authors/{slug}.md")),
            format!("---\nname: {slug}\nfirst_name: Aaron\nlast_name: Burk\nfull_name: Aaron Burk\n---\n"),
        )
        .unwrap();
    }
    std::fs::write(
        src.join("_posts/2015-01-02-one.md"),
        "---\ntitle: One\nauthors: [aaron-burk]\n---\nOne.\n",
    )
    .unwrap();
    std::fs::write(
        src.join("_posts/2015-01-03-two.md"),
        "---\ntitle: Two\nauthors: [aaronburk]\n---\nTwo.\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let (code, report, _) = import("jekyll", &src, &dest);
    assert_eq!(code, 0, "{report}");
    for (briefing, slug) in [("one", "aaron-burk"), ("two", "aaronburk")] {
        let text =
            std::fs::read_to_string(dest.join(format!("content/briefings/2015/{briefing}.md")))
                .unwrap();
        assert!(
            text.contains(&format!("actors:\n  - \"{slug}\"\n")),
            "{text}"
        );
        let profile =
            std::fs::read_to_string(dest.join(format!("content/actors/{slug}.md"))).unwrap();
        assert!(
            profile.starts_with("---\nname: \"Aaron Burk\"\n"),
            "{profile}"
        );
    }
}

/// A linked file is copied only from inside the source: a symlink in
/// `static/` to a file elsewhere is not followed.
#[cfg(unix)]
#[test]
fn a_linked_file_outside_the_source_is_never_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "private").unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("content/posts")).unwrap();
    std::fs::create_dir_all(src.join("static")).unwrap();
    std::os::unix::fs::symlink(&secret, src.join("static/leak.txt")).unwrap();
    std::fs::write(src.join("static/ok.txt"), "public").unwrap();
    std::fs::write(src.join("hugo.toml"), "baseURL = \"https://ex.org/\"\n").unwrap();
    std::fs::write(
        src.join("content/posts/a.md"),
        "---\ntitle: A\ndate: 2020-01-01\n---\n[leak](/leak.txt) [ok](/ok.txt)\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let (code, report, _) = import("hugo", &src, &dest);
    assert_eq!(code, 0, "{report}");
    assert!(!dest.join("static/leak.txt").exists());
    assert_eq!(read(&dest, "static/ok.txt"), "public");
    let text = read(&dest, "content/briefings/2020/a.md");
    assert!(
        text.contains("[leak](https://ex.org/leak.txt) [ok](/ok.txt)"),
        "{text}"
    );
}

#[test]
fn a_jekyll_permalink_from_the_config_defaults_gives_the_old_url() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("_posts")).unwrap();
    std::fs::write(
        src.join("_config.yml"),
        "url: https://d.example.org\npermalink: pretty\ndefaults:\n  - scope: {path: \"\"}\n    values: {layout: post}\n  - scope: {path: \"\", type: posts}\n    values: {permalink: \"/news/:year/:title/\"}\n",
    )
    .unwrap();
    std::fs::write(
        src.join("_posts/2018-09-10-launch.md"),
        "---\ntitle: Launch\n---\nGo.\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let (code, report, _) = import("jekyll", &src, &dest);
    assert_eq!(code, 0, "{report}");
    let text = read(&dest, "content/briefings/2018/launch.md");
    assert!(
        text.contains("aliases:\n  - \"/news/2018/launch/\"\n"),
        "{text}"
    );
}

#[test]
fn a_hugo_split_configuration_gives_the_permalinks() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("config/_default")).unwrap();
    std::fs::create_dir_all(src.join("content/news")).unwrap();
    std::fs::write(
        src.join("config/_default/hugo.yaml"),
        "baseURL: https://s.example.org/\ntitle: Split\n",
    )
    .unwrap();
    std::fs::write(
        src.join("config/_default/permalinks.toml"),
        "news = \"/:year/:month/:day/:filename/\"\n",
    )
    .unwrap();
    std::fs::write(
        src.join("content/news/Big News.md"),
        "---\ntitle: Big\ndate: 2022-02-03T04:05:06+02:00\n---\nText.\n",
    )
    .unwrap();
    let dest = tmp.path().join("dest");
    let (code, report, _) = import("hugo", &src, &dest);
    assert_eq!(code, 0, "{report}");
    let text = read(&dest, "content/briefings/2022/big-news.md");
    assert!(
        text.contains("aliases:\n  - \"/2022/02/03/big-news/\"\n"),
        "{text}"
    );
    assert!(read(&dest, "attache.yaml").contains("title: \"Split\""));
}

/// The term pages Hugo rendered (`/tags/open-data/`, `/categories/city/`:
/// the default taxonomies, as the fixture declares none) keep their URLs:
/// each redirects to the topic's page, through the profile's
/// `redirect_from`.
#[test]
fn hugo_term_pages_redirect_to_their_profiles() {
    let (_tmp, site, _, _) = import_fixture("hugo", "hugo-basic");
    let topic = std::fs::read_to_string(site.join("content/topics/open-data.md")).unwrap();
    assert!(
        topic.contains("redirect_from:\n  - \"/tags/open-data/\""),
        "{topic}"
    );
    let out = builds_clean(&site);
    for (old, new) in [
        ("tags/open-data/index.html", "/topics/open-data/"),
        ("tags/budget/index.html", "/topics/budget/"),
        ("categories/city/index.html", "/topics/city/"),
    ] {
        assert!(
            read(&out, old).contains(new),
            "{old} does not lead to {new}"
        );
    }
    // Authors are no taxonomy of this site's config: Hugo rendered no page
    // for them, so there is no old URL to keep.
    assert!(!out.join("authors").exists());
}
