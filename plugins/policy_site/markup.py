"""Facts about the markup of a policy's text that several modules share."""

import unicodedata

from .messages import N_, _

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


# characters no reader sees: control, format (zero-width, soft hyphen, direction marks),
# line and paragraph separators, private use, surrogates and unassigned code points, and
# the letters that show as blank space (the Hangul fillers, the blank Braille pattern)
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"})
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_hidden(character):
    return character in BLANK_LETTERS or unicodedata.category(character) in HIDDEN_CATEGORIES


# what an invisible character without a Unicode name is
_KINDS = {
    "Co": N_("a private-use character"),
    "Cn": N_("a character Unicode does not assign"),
    "Cs": N_("half of a surrogate pair"),
}


def hidden_name(character):
    """How a message names an invisible character: its Unicode name, or its kind."""
    kind = _KINDS.get(unicodedata.category(character), N_("a control character"))
    return unicodedata.name(character, None) or _(kind)


def element_text(element):
    """The text inside ``element``, its children's included."""
    return "".join(element.itertext())


def visible_text(element):
    """The text inside ``element`` with its white space as a browser shows it."""
    return " ".join(element_text(element).split())
