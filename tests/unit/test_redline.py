"""Word-level redlines: marks stay inside their blocks and say what they are."""

from bs4 import BeautifulSoup

from policy_site.redline import Labels, redline
from tests.sites import redline_marks

LABELS = Labels("[+", "+]", "[-", "-]")


def marks(html, name):
    return redline_marks(BeautifulSoup(html, "html.parser"), name)


def test_changed_words_are_marked_inside_their_paragraph_and_link():
    old = '<p>Kami <a href="/x/">Product</a> dimana,</p>'
    new = '<p>Kami <a href="/x/">Produk</a> di mana.</p>'
    result = redline(old, new, LABELS)
    assert marks(result.html, "del") == [("a", "Product"), ("p", "dimana,")]
    assert marks(result.html, "ins") == [("a", "Produk"), ("p", "di mana.")]
    assert "[- " in result.html and " +]" in result.html


def test_whole_blocks_inserted_and_deleted_and_sections_named():
    old = '<h2 id="a">A</h2>\n<p>Stays.</p>\n<p>Goes away entirely.</p>\n<ul><li>one</li></ul>'
    new = '<h2 id="a">A</h2>\n<p>Stays.</p>\n<ul><li>one</li><li>two</li></ul>\n<h2 id="b">B</h2>'
    result = redline(old, new, LABELS)
    soup = BeautifulSoup(result.html, "html.parser")
    assert soup.select_one("p.deleted del").get_text(strip=True) == "[-Goes away entirely.-]"
    assert soup.select_one("li.inserted ins") is not None
    assert soup.select_one("h3.inserted")["id"] == "b"
    assert result.changed_sections == ("a", "b")
    assert not result.unchanged


def test_a_deleted_heading_keeps_its_anchor_unless_the_new_text_uses_it():
    kept = '<h2 id="a">A</h2>\n<p>Stays.</p>'
    removed = redline(f'{kept}\n<h2 id="gone">Gone</h2>\n<p>Old</p>', kept, LABELS)
    soup = BeautifulSoup(removed.html, "html.parser")
    assert soup.select_one("h3.deleted")["id"] == "gone"
    assert removed.changed_sections == ("gone",)
    moved = redline(
        '<h2 id="a">Short</h2>\n<p>x</p>',
        '<p>x</p>\n<h2 id="a">Entirely different words here</h2>',
        LABELS,
    )
    assert BeautifulSoup(moved.html, "html.parser").select("[id=a]") == [
        BeautifulSoup(moved.html, "html.parser").select_one("h3.inserted")
    ]


def test_text_that_looks_like_markup_stays_text():
    old = "<p>Anak berusia &lt;18 tahun dilarang.</p>"
    new = '<p>Anak berusia &lt;18 tahun &lt;meta http-equiv="refresh" content="0"&gt; dilarang.</p>'
    result = redline(old, new, LABELS)
    soup = BeautifulSoup(result.html, "html.parser")
    assert soup.find("meta") is None
    assert "berusia <18 tahun" in soup.get_text()
    assert [(parent, text.strip()) for parent, text in marks(result.html, "ins")] == [
        ("p", '<meta http-equiv="refresh" content="0">')
    ]


def test_same_text_is_unchanged():
    html = '<h2 id="a">A</h2>\n<p>Text.</p>'
    result = redline(html, html, LABELS)
    assert result.unchanged and result.changed_sections == ()


def test_headings_stand_below_the_page_and_read_as_their_title_and_what_changed():
    labels = Labels("[+", "+]", "[-", "-]", "%(title)s (was %(old)s)", "%(title)s (new)", "")
    result = redline(
        '<h2 id="c">PENGUNAAN COOKIES</h2>\n<h3 id="s">Sub</h3>',
        '<h2 id="c">PENGGUNAAN COOKIES</h2>\n<h3 id="s">Sub</h3>\n<h2 id="n">Baru</h2>',
        labels,
    )
    soup = BeautifulSoup(result.html, "html.parser")
    assert [h.name for h in soup.select("h2, h3, h4")] == ["h3", "h4", "h3"]
    changed, _sub, inserted = soup.select("h3, h4")
    assert changed.select_one("[aria-hidden=true] ins") is not None
    hidden = [span.get_text() for span in soup.select("h3 > .visually-hidden")]
    assert hidden == ["PENGGUNAAN COOKIES (was PENGUNAAN COOKIES)", "Baru (new)"]
    assert inserted["class"] == ["inserted"]


def test_contact_entries_are_aligned_as_blocks_and_keep_the_contact_block():
    entry = '<div class="contact-entry"><dt>{}</dt><dd><a href="tel:+62">1</a></dd></div>'
    block = '<address class="contact"><dl>{}</dl></address>'
    old = block.format(entry.format("Telepon"))
    new = block.format(entry.format("Telepon") + entry.format("Chat WhatsApp"))
    soup = BeautifulSoup(redline(old, new, LABELS).html, "html.parser")
    entries = soup.select("address.contact > dl > div.contact-entry")
    assert [e.get("class") for e in entries] == [["contact-entry"], ["contact-entry", "inserted"]]


def test_once_its_work_is_spent_a_redline_shows_blocks_wholly_replaced(monkeypatch):
    old_paragraphs = [f"<p>Paragraf {n} tentang data yang kami kumpulkan.</p>" for n in range(6)]
    new_paragraphs = [p.replace("kami", "Kami") for p in old_paragraphs]
    old, new = "\n".join(old_paragraphs), "\n".join(new_paragraphs)
    fine = redline(old, new, LABELS)
    assert marks(fine.html, "ins") == [("p", "Kami")] * 6
    monkeypatch.setattr("policy_site.redline._MAX_WORK", 10_000)
    coarse = redline(old, new, LABELS)
    inserted = [text for _tag, text in marks(coarse.html, "ins")]
    assert "Kami" in inserted, "the first blocks, within the work, stay word by word"
    assert "Paragraf 5 tentang data yang Kami kumpulkan." in inserted, "the last, whole"
    assert len(inserted) == len(marks(coarse.html, "del")) == 6
    assert _without(coarse.html, "del") == _without(new, "del"), "the new text, whole"
    assert _without(coarse.html, "ins") == _without(old, "ins"), "the old text, whole"


def _without(html, mark):
    """The text of ``html`` without ``mark`` elements and the hidden labels, word by word."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(f"{mark}, .visually-hidden"):
        element.decompose()
    return soup.get_text(" ").split()
