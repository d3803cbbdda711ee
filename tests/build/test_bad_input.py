"""Bad content stops the build with a message naming the file and line, and writes no page."""

import shutil

import pytest

from policy_site.errors import PolicyBuildError
from tests.sites import POLICY_EN, POLICY_ID, build, example_repo, snapshot, write_policies

# The fixture's version 1.0 takes effect on 2026-01-15; until then its text may change.
FULL_WIDTH = "081133328188".translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
BEFORE_EFFECTIVE = "2026-01-10"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture's committed site, built once for the module: each test starts from a
    copy of its repository and output, as if it had built the site itself."""
    folder = tmp_path_factory.mktemp("built")
    repo = example_repo(folder)
    build(repo / "content", folder / "output", today=BEFORE_EFFECTIVE)
    return repo


@pytest.fixture
def repo(built, tmp_path):
    shutil.copytree(built.parent, tmp_path, symlinks=True, dirs_exist_ok=True)
    return tmp_path / built.name


def build_fails(repo, files):
    """Overwrite the built site's policies with ``files`` (path below policies/ to text),
    as an editor does before committing, and build again. Return the problems as text,
    having checked the built output is untouched."""
    content, output = repo / "content", repo.parent / "output"
    before = snapshot(output)
    assert "kebijakan-contoh/index.html" in before
    shutil.rmtree(content / "policies")
    write_policies(content, files)
    with pytest.raises(PolicyBuildError) as caught:
        build(content, output, today=BEFORE_EFFECTIVE)
    assert snapshot(output) == before, "a failed build must leave the previous output as it was"
    assert not (repo.parent / "output.staging").exists()
    return [str(problem) for problem in caught.value.problems]


def with_id(old, new):
    assert old in POLICY_ID
    return {"example/id.md": POLICY_ID.replace(old, new), "example/en.md": POLICY_EN}


def with_en(old, new):
    assert old in POLICY_EN
    return {"example/id.md": POLICY_ID, "example/en.md": POLICY_EN.replace(old, new)}


CASES = {
    "missing front matter field": (
        with_id("Effective: 2026-01-15\n", ""),
        ["example/id.md:1: front matter field 'Effective' is missing or empty"],
    ),
    "unknown language": (
        with_en("Lang: en", "Lang: english"),
        ["example/en.md:3: Lang: unknown language 'english' (known: id, en)"],
    ),
    "malformed phone number": (
        with_id("Telepon : (021) 3003 0609", "Telepon : (021) 3003"),
        ["example/id.md:22: contact: '(021) 3003' is not a valid telephone number"],
    ),
    "letter in a phone number": (
        with_en("WhatsApp chat: 081133328188", "WhatsApp chat: O81133328188"),
        ["example/en.md:25: contact: 'O81133328188' is not a telephone number"],
    ),
    "malformed e-mail": (
        with_en("E-mail: support@espay.id", "E-mail: support@espay"),
        ["example/en.md:19: contact: 'support@espay' is not a valid e-mail address"],
    ),
    "contact line without a label": (
        with_id("E-mail : support@espay.id", "support@espay.id"),
        ["example/id.md:19: write the contact line as 'Label: value'"],
    ),
    "no contact section": (
        with_en("## Contact {#contact}", "## Contact {#reach-us}"),
        ["example/en.md: has no contact section; give its heading the anchor {#contact}"],
    ),
    "heading without anchor": (
        with_id("## Data yang Kami kumpulkan {#data-collection}", "## Data yang Kami kumpulkan"),
        ["example/id.md:11:28: heading 'Data yang Kami kumpulkan' has no anchor"],
    ),
    "duplicate anchor": (
        with_id("## Kontak {#contact}", "## Kontak {#contact}\n\n### Lagi {#contact}"),
        ["example/id.md:17: anchor #contact is used more than once"],
    ),
    "anchors differ between languages": (
        with_en("{#data-collection}", "{#data-we-collect}"),
        [
            "example/en.md:11: section anchors of version 1.0 differ between this file and",
            "only the other has #data-collection; only this file has #data-we-collect",
        ],
    ),
    "policy without its translation": (
        {"example/id.md": POLICY_ID},
        ["example/id.md:2: policy 'example' has no text in language 'en'"],
    ),
    "same policy and language twice": (
        {
            **with_id("", ""),
            "example/en-copy.md": POLICY_EN.replace("Slug: example-policy", "Slug: copy"),
        },
        ["example/en.md:3: policy 'example' in language 'en' is already written in"],
    ),
    "slug used by two policies": (
        {
            **with_id("", ""),
            "other/id.md": POLICY_ID.replace("Policy: example", "Policy: other"),
            "other/en.md": POLICY_EN.replace("Policy: example", "Policy: other").replace(
                "Slug: example-policy", "Slug: other-policy"
            ),
        },
        ["other/id.md:4: slug 'kebijakan-contoh' is already used by"],
    ),
    "malformed front matter": (
        with_id("Policy: example", "Policy example"),
        ["example/id.md:2: expected a 'Key: value' line of the front matter"],
    ),
    "broken internal link": (
        with_id("Teks pembuka kebijakan.", "Lihat [halaman lain](/tidak-ada/)."),
        ["example/id.md:9:22: link '/tidak-ada/' leads to no page of this site"],
    ),
    "link to a missing section of this text": (
        with_id("Teks pembuka kebijakan.", "Lihat [bagian](#tidak-ada)."),
        ["example/id.md:9:16: link '#tidak-ada' points to #tidak-ada, a section this text does"],
    ),
    "link to a missing section of another page": (
        with_id("Teks pembuka kebijakan.", "Lihat [teks](/en/example-policy/#nope)."),
        ["example/id.md:9:14: link '/en/example-policy/#nope' points to #nope, which that page"],
    ),
    "script element": (
        with_id("Teks pembuka kebijakan.", "<script>alert(1)</script>"),
        ["example/id.md:9:1: raw HTML ('<script…') is not allowed in a policy"],
    ),
    "iframe": (
        with_id("Teks pembuka kebijakan.", '<iframe src="https://kasir.id"></iframe>'),
        ["example/id.md:9:1: raw HTML ('<iframe src=\"https://kasir.id\"…')"],
    ),
    "event handler attribute": (
        with_id("Teks pembuka kebijakan.", '<p onclick="steal()">Teks pembuka.</p>'),
        ["example/id.md:9:1: raw HTML ('<p onclick=\"steal()\"…') is not allowed"],
    ),
    "inline style": (
        with_id("Teks pembuka kebijakan.", '<p style="color: red">Teks pembuka.</p>'),
        ["example/id.md:9:1: raw HTML ('<p style=\"color: red\"…') is not allowed"],
    ),
    "javascript: link": (
        with_id("Teks pembuka kebijakan.", "[Klik](javascript:alert(1))"),
        ["example/id.md:9:8: the link 'javascript:alert(1)' is not allowed"],
    ),
    "raw HTML and a javascript: link in one paragraph": (
        with_id("Teks pembuka kebijakan.", "Teks <b>tebal</b> dan [Klik](javascript:alert(1))."),
        [
            "example/id.md:9:6: raw HTML ('<b…') is not allowed",
            "example/id.md:9:30: the link 'javascript:alert(1)' is not allowed",
        ],
    ),
    "raw HTML on two lines of one paragraph, a javascript: link in the second": (
        with_id(
            "Teks pembuka kebijakan.", 'Teks <b>x</b>\ndan <a href="javascript:alert(1)">y</a>.'
        ),
        [
            "example/id.md:9:6: raw HTML ('<b…') is not allowed",
            "example/id.md:10:5: raw HTML ('<a href=\"javascript:alert(1)\"…') is not allowed",
        ],
    ),
    "raw HTML after an autolink, a code span and an escaped '<'": (
        with_id(
            "Teks pembuka kebijakan.",
            'Lihat <https://kasir.id>, `<b>`, \\<i> dan [x](<https://kasir.id> "<u>") dan\n'
            "<s>y</s>.",
        ),
        ["example/id.md:10:1: raw HTML ('<s…') is not allowed"],
    ),
    "a link address GitHub and the site end in different places": (
        with_id("Teks pembuka kebijakan.", "Lihat [x].\n\n[x]: <https://kasir.id/a>b>"),
        [
            "example/id.md:9:1: GitHub's preview shows \u201cLihat [x].\u201d here, but the site "
            "would show \u201cLihat [x](https://kasir.id/a>b).\u201d; write each link's address "
            "without a space, a quote or an angle bracket in it",
        ],
    ),
    "a link definition right under a paragraph": (
        with_id("Teks pembuka kebijakan.", "Lihat [a](https://kasir.id)\n[b]: https://kasir.id/b"),
        ["example/id.md:9:1: GitHub's preview shows", "; put a blank line between the blocks"],
    ),
    "two javascript: links to one address on one line": (
        with_id(
            "Teks pembuka kebijakan.", "[y]( javascript:alert(1) ) dan [z](<javascript:alert(1)>)."
        ),
        [
            "example/id.md:9:6: the link 'javascript:alert(1)' is not allowed",
            "example/id.md:9:37: the link 'javascript:alert(1)' is not allowed",
        ],
    ),
    "an inline link and an autolink to one refused address": (
        with_id("Teks pembuka kebijakan.", "Lihat [z](ftp://x.y) dan <ftp://x.y>."),
        [
            "example/id.md:9:11: the link 'ftp://x.y' is not allowed",
            "example/id.md:9:27: the link 'ftp://x.y' is not allowed",
        ],
    ),
    "javascript: link defined as a reference, beside raw HTML": (
        with_id("Teks pembuka kebijakan.", "Lihat [Klik][r] <b>x</b>.\n\n[r]: javascript:alert(2)"),
        [
            "example/id.md:9:17: raw HTML ('<b…') is not allowed",
            "example/id.md:11:6: the link 'javascript:alert(2)' is not allowed",
        ],
    ),
    "javascript: link written with a character reference": (
        with_id("Teks pembuka kebijakan.", "Lihat [Klik](JaVaScRiPt&#x3A;alert(3))."),
        ["example/id.md:9:14: the link 'JaVaScRiPt:alert(3)' is not allowed"],
    ),
    "plain http link": (
        with_en("Opening text of the policy.", "See [our site](http://kasir.id)."),
        ["example/en.md:9:16: the link 'http://kasir.id' is not allowed: links are https:"],
    ),
    "second page title": (
        with_id("Teks pembuka kebijakan.", "# Judul lain"),
        ["example/id.md:9:1: a '# ' heading repeats the page title"],
    ),
    "anchor the page itself uses": (
        with_id("{#data-collection}", "{#main}"),
        ["example/id.md:11: anchor #main is taken by the page itself"],
    ),
    "version going down": (
        with_id("Version: 1.0", "Version: 0.9"),
        ["example/id.md:5: Version goes down from 1.0 (commit", "to 0.9 (uncommitted)"],
    ),
    "effective date going back": (
        with_id("Version: 1.0\nEffective: 2026-01-15", "Version: 1.1\nEffective: 2025-12-31"),
        ["example/id.md:6: Effective date goes back: version 1.1 (uncommitted) takes effect"],
    ),
    # What GitHub's preview shows one way and the site another
    "paragraph starting with a tab": (
        with_id("Teks pembuka kebijakan.", "\tTeks pembuka kebijakan."),
        ["example/id.md:9:1: a tab at the start of a line turns the text into a code block"],
    ),
    "indented text": (
        with_id("Teks pembuka kebijakan.", "    Teks pembuka kebijakan."),
        ["example/id.md:9:1: four or more spaces at the start of a line"],
    ),
    "fenced code": (
        with_id("Teks pembuka kebijakan.", "```\nTeks pembuka kebijakan.\n```"),
        ["example/id.md:9:1: code blocks (``` or ~~~) are not part of a policy"],
    ),
    "underlined heading": (
        with_id("Teks pembuka kebijakan.", "Judul\n-----"),
        ["example/id.md:10:1: this line turns the text above into a heading"],
    ),
    "zero-width space": (
        with_id("Teks pembuka", "Teks\u200b pembuka"),
        ["example/id.md:9:5: invisible character U+200B (ZERO WIDTH SPACE)"],
    ),
    "soft hyphen": (
        with_en("Opening text", "Open\u00ading text"),
        ["example/en.md:9:5: invisible character U+00AD (SOFT HYPHEN)"],
    ),
    "unknown kind of change": (
        with_id("Summary: Versi pertama.", "Summary: Versi pertama.\nChange: kecil"),
        [
            "example/id.md:8: Change: 'kecil' is not a kind of change; write 'Change: editorial' "
            "for a change of spelling or layout that nobody needs to agree to again, or leave the "
            "field out (a material change)"
        ],
    ),
    "control character in the front matter": (
        with_id("Summary: Versi", "Summary: \x1b[31mVersi"),
        ["example/id.md:7:10: invisible character U+001B"],
    ),
    "undefined reference link": (
        with_id("Teks pembuka kebijakan.", "Lihat [Situs][kasir] Kami."),
        ["example/id.md:9:7: the link '[Situs][kasir]' has no definition '[kasir]: https://…'"],
    ),
    "misspelled contact marker": (
        with_id("{: .phone }", "{: .phon }"),
        ["example/id.md:23:1: '{: .phon }' is not a contact marker; the markers are"],
    ),
    "blank line before a contact marker": (
        with_id("0609\n{: .phone }", "0609\n\n{: .phone }"),
        ["example/id.md:24:1: '{: .phone }' must be on the line right below its contact line"],
    ),
    "contact marker outside the contact section": (
        with_id("alamat e-mail Anda.", "alamat e-mail Anda.\n{: .email }"),
        ["example/id.md:14:1: '{: .email }' marks a contact line, so it belongs in the contact"],
    ),
    "attributes on a link": (
        with_id("Teks pembuka kebijakan.", "[Teks](https://kasir.id){: .visually-hidden }"),
        ["example/id.md:9:25: '{: .visually-hidden }' sets attributes on the text"],
    ),
    "class on a heading": (
        with_en("## Contact {#contact}", "## Contact {: .notice #contact }"),
        ["example/en.md:15:12: '{: .notice #contact }' is not a section anchor"],
    ),
    "image": (
        with_id("Teks pembuka kebijakan.", "![logo](https://kasir.id/logo.png)"),
        ["example/id.md:9:1: images are not part of a policy"],
    ),
    "contact number that differs between languages": (
        with_en("Telephone: (021) 3003 0609", "Telephone: (021) 3003 0608"),
        [
            "example/en.md:15: contact links of version 1.0 differ between this file and",
            "only the other has tel:+622130030609; only this file has tel:+622130030608",
        ],
    ),
    "anchor typo in the original only": (
        with_id("{#data-collection}", "{#data-colection}"),
        [
            "example/id.md:11: section anchors of version 1.0 differ between this file and",
            "only this file has #data-colection",
        ],
    ),
    # Markup that browsers and Python's html.parser read differently
    "comment that ends early in a browser": (
        with_id(
            "Teks pembuka kebijakan.",
            '<!--> <meta http-equiv="refresh" content="0;url=https://evil.example"> -->',
        ),
        ["example/id.md:9:1: raw HTML ('<!--"],
    ),
    "CDATA that is a comment in HTML": (
        with_id(
            "Teks pembuka kebijakan.",
            '<![CDATA[><meta http-equiv="refresh" content="0;url=https://evil.example">]]>',
        ),
        ["example/id.md:9:1: raw HTML ('<![CDATA["],
    ),
    "raw heading": (
        with_id("Teks pembuka kebijakan.", '<h2 id="fake">Kontak</h2>'),
        ["example/id.md:9:1: raw HTML ('<h2 id=\"fake\"…')"],
    ),
    "link with a leading blank and a javascript: scheme": (
        with_id("Teks pembuka kebijakan.", "[x]( javascript:alert(1))"),
        ["example/id.md:9:6: the link 'javascript:alert(1)' is not allowed"],
    ),
    "site path that a browser reads as another host": (
        with_id("Teks pembuka kebijakan.", "[situs](/\\evil.example)"),
        ["example/id.md:9:9: the link '/\\evil.example' is not allowed"],
    ),
    "slug that is the address of a language": (
        with_id("Slug: kebijakan-contoh", "Slug: en"),
        ["example/id.md:4: slug 'en' is the address of the site's own pages (/en/)"],
    ),
    # Loose values
    "version with a leading zero": (
        with_id("Version: 1.0", "Version: 01.0"),
        ["example/id.md:5: Version: '01.0' is not a version number like 1.0"],
    ),
    "version in full-width digits": (
        with_en("Version: 1.0", "Version: １.０"),
        ["example/en.md:5: Version: '１.０' is not a version number like 1.0"],
    ),
    "empty file": (
        {**with_id("", ""), "example/empty.md": ""},
        ["example/empty.md:1: the file is empty"],
    ),
    # Sizes that keep every build fast
    "line longer than the limit": (
        with_id("Teks pembuka kebijakan.", "kata " * 4001),
        ["example/id.md:9:20001: this line is longer than 20000 characters"],
    ),
    "lists nested too deep": (
        with_id(
            "Teks pembuka kebijakan.", "\n".join("  " * depth + "- butir" for depth in range(12))
        ),
        ["example/id.md:19:21: lists and quotes nest more than 10 levels deep here"],
    ),
    "a paragraph of unmatched brackets": (
        with_id("Teks pembuka kebijakan.", "[ " * 1001),
        ["example/id.md:9:1: this block holds more than 1000 '[' that open no link"],
    ),
    "a text of too much markup": (
        with_id("Teks pembuka kebijakan.", "\n".join(["**a**"] * 10_001)),
        ["example/id.md:9: the text has 100", "pieces of markup (paragraphs, list items"],
    ),
    "a text of too many links": (
        with_id("Teks pembuka kebijakan.", "\n".join(["<https://kasir.id>"] * 2_001)),
        ["example/id.md:9: the text has 20", "links, more than 2000"],
    ),
    "slug too long for a file name": (
        with_id("Slug: kebijakan-contoh", "Slug: " + "a" * 299),
        ["example/id.md:4: Slug: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' is longer than 100"],
    ),
    "version of many parts": (
        with_id("Version: 1.0", "Version: " + ".".join(["1"] * 150)),
        ["example/id.md:5: Version: '1.1.1.1.1.1.1.1.1.1.…' is longer than 30 characters"],
    ),
    # What readers would not see as the reviewer sees it
    "invisible characters written as references": (
        with_id("Teks pembuka kebijakan.", "Teks &#8238;terbalik &ZeroWidthSpace; dan &shy; ini."),
        [
            "example/id.md:9:6: a character reference here writes the invisible character "
            "U+202E (RIGHT-TO-LEFT OVERRIDE)",
            "U+200B (ZERO WIDTH SPACE)",
            "U+00AD (SOFT HYPHEN)",
        ],
    ),
    "a control character written as a reference": (
        with_id("Teks pembuka kebijakan.", "Teks &#1; ini."),
        ["example/id.md:9:6: a character reference here writes the invisible character U+0001"],
    ),
    "a blank letter": (
        with_id("Teks pembuka", "Teks\u3164pembuka"),
        ["example/id.md:9:5: invisible character U+3164 (HANGUL FILLER)"],
    ),
    "a look-alike host": (
        with_id("Teks pembuka kebijakan.", "Lihat [situs](https://k\u0430sir.id/)."),
        ["example/id.md:9:23: the address 'k\u0430sir.id' mixes letters of different scripts"],
    ),
    "digits of another script in a contact number": (
        with_id("081133328188 /", f"{FULL_WIDTH} /"),
        [f"example/id.md:25: contact: '{FULL_WIDTH}' is not a telephone number: use the digits"],
    ),
    "a heading inside a quote": (
        with_id("Teks pembuka kebijakan.", "> ## Kutipan {#main}"),
        ["example/id.md:9:3: a heading inside a list or quote does not start a section"],
    ),
    "file that is not UTF-8": (
        {
            "example/id.md": POLICY_ID.replace("Teks pembuka", "Teks “pembuka”").encode("cp1252"),
            "example/en.md": POLICY_EN,
        },
        ["example/id.md: is not UTF-8 text"],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_bad_input_is_refused_with_a_message_naming_file_and_line(repo, files, expected):
    problems = "\n".join(build_fails(repo, files))
    for fragment in expected:
        assert fragment in problems


@pytest.mark.parametrize("referenced", [True, False], ids=["beside a used one", "alone"])
def test_a_footnote_the_text_never_refers_to_is_one_problem_at_its_definition(repo, referenced):
    """GitHub leaves it out; the site would list it. One message, at its definition,
    and none for the lines that go on with it or for the list of notes that differs."""
    opening = "Teks pembuka kebijakan[^1]." if referenced else "Teks pembuka kebijakan."
    files = with_id("Teks pembuka kebijakan.", opening)
    used = "[^1]: Catatan.\n\n" if referenced else ""
    files["example/id.md"] += f"\n{used}[^2]: Tidak dirujuk.\n    Lanjutan catatan.\n"
    line = POLICY_ID.count("\n") + 2 + used.count("\n")
    problems = build_fails(repo, files)
    assert len(problems) == 1, problems
    assert problems[0].endswith(
        f"example/id.md:{line}:1: the footnote '[^2]' is defined here, but the text never "
        "refers to it, so GitHub shows nothing of it; write '[^2]' where the note belongs, "
        "or remove the definition"
    )


def test_a_refused_link_in_a_footnote_is_reported_at_its_address(repo):
    files = with_id("Teks pembuka kebijakan.", "Teks pembuka kebijakan[^1].")
    files["example/id.md"] += "\n[^1]: Catatan [z](javascript:alert(1)).\n"
    line = POLICY_ID.count("\n") + 2
    problems = build_fails(repo, files)
    assert len(problems) == 1, problems
    assert f"example/id.md:{line}:19: the link 'javascript:alert(1)' is not allowed" in problems[0]


def test_all_problems_of_one_stage_come_in_one_report(repo):
    files = with_id("Lang: id", "Lang: xx")
    files["example/en.md"] = POLICY_EN.replace("Version: 1.0", "Version: 1")
    problems = build_fails(repo, files)
    assert len(problems) == 2


def test_text_contact_and_link_problems_come_in_one_report(repo):
    files = with_id("Telepon : (021) 3003 0609", "Telepon : (021) 3003")
    files["example/id.md"] = files["example/id.md"].replace(
        "Teks pembuka kebijakan.", "Lihat [halaman](/tidak-ada/)."
    )
    problems = build_fails(repo, files)
    places = [problem.split(": ", 1)[0] for problem in problems]
    assert len(places) == 2
    assert places[0].endswith("/example/id.md:9:17") and places[1].endswith("/example/id.md:22")


def test_the_second_sanitizer_judges_every_text(repo, monkeypatch):
    """Where nh3 reads a text's markup differently from the allow-list, the build stops at
    the text's line (here nh3 is made to disagree with everything)."""
    from policy_site import sanitize

    monkeypatch.setattr(sanitize, "agrees", lambda *_args: False)
    with pytest.raises(PolicyBuildError) as caught:
        build(repo / "content", repo.parent / "output", today=BEFORE_EFFECTIVE)
    messages = [str(problem) for problem in caught.value.problems]
    assert any("example/id.md:9: the second sanitizer (nh3)" in m for m in messages)
