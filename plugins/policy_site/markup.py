"""Facts about the markup of a policy's text that several modules share."""

# the headings a policy's sections use; the page's title is the only h1
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# the kinds of contact line, each marked {: .kind } below its line
CONTACT_KINDS = ("email", "phone", "whatsapp")
# ids the theme gives its own elements; a section anchor must not take one
THEME_IDS = frozenset(
    {
        "main",
        "toc-title",
        "changed-sections-title",
        "changed-text-title",
        "changed-text",
        "removed-sections-title",
    }
)


def element_text(element):
    """The text inside ``element``, its children's included."""
    return "".join(element.itertext())


def visible_text(element):
    """The text inside ``element`` with its white space as a browser shows it."""
    return " ".join(element_text(element).split())
