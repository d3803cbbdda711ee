"""Groups policy files into policies, one text per language, and checks they agree."""

from collections import defaultdict
from dataclasses import dataclass

from .errors import display_path
from .messages import N_, _


@dataclass(frozen=True)
class Policy:
    """One policy (say, the privacy policy) with its text in each language."""

    key: str
    documents: dict


def collect_policies(documents, languages, problems, untranslated=None):
    """Policies sorted by key; reports duplicates, missing languages and clashing slugs.

    ``untranslated`` maps a policy key to the languages it is explicitly not given in.
    """
    untranslated = untranslated or {}
    by_key = defaultdict(dict)
    for document in sorted(documents, key=lambda doc: doc.path):
        taken = by_key[document.policy].get(document.lang)
        if taken:
            problems.add(
                document.path,
                _(
                    "policy '%(policy)s' in language '%(lang)s' is already written in "
                    "%(other)s; one file per policy and language",
                    policy=document.policy,
                    lang=document.lang,
                    other=taken.path,
                ),
                document.source.fields["lang"].line,
            )
            continue
        by_key[document.policy][document.lang] = document
    for key, by_lang in sorted(by_key.items()):
        _check_languages(key, by_lang, languages, untranslated.get(key, ()), problems)
    _check_unique_slugs(by_key, problems, languages)
    return [Policy(key, dict(by_lang)) for key, by_lang in sorted(by_key.items())]


def _check_languages(key, by_lang, languages, untranslated, problems):
    """A policy has a text in every language but those it is marked untranslated into."""
    present = next(iter(by_lang.values()))
    for lang in languages:
        if lang in untranslated:
            if lang in by_lang:
                problems.add(
                    by_lang[lang].path,
                    _(
                        "policy '%(policy)s' is marked untranslated into '%(lang)s' in "
                        "POLICY_SITE, but this file translates it; remove the mark or the "
                        "file",
                        policy=key,
                        lang=lang,
                    ),
                )
            continue
        if lang not in by_lang:
            problems.add(
                present.path,
                _(
                    "policy '%(policy)s' has no text in language '%(lang)s'; add a file "
                    "with 'Policy: %(policy)s' and 'Lang: %(lang)s', or mark it "
                    "untranslated in POLICY_SITE['untranslated']",
                    policy=key,
                    lang=lang,
                ),
                present.source.fields["policy"].line,
            )


def compare_languages(series, original_lang, review):
    """Each version has one effective date, the same section anchors and the same contact
    links in the original and in every translation of it."""
    for (policy, lang), translation in sorted(series.items()):
        original = series.get((policy, original_lang))
        if lang == original_lang or original is None:
            continue
        for entry in translation.versions:
            counterpart = original.get(entry.version)
            if counterpart:
                pair = _Pair(counterpart, entry, review)
                pair.compare_effective()
                pair.compare(_ANCHORS_DIFFER, lambda v: v.text.anchors, _anchor_line)
                pair.compare(_CONTACT_DIFFERS, lambda v: v.text.contact, _contact_line)


def check_bumps(series, original_lang, review):
    """A change that raises the original's version and changes a translation's text must
    raise the translation's version too: else the new text would pass for a correction
    of the old version."""
    for (policy, lang), translation in sorted(series.items()):
        original = series.get((policy, original_lang))
        if lang == original_lang or original is None:
            continue
        raised = _change_under_review(original)
        changed = _change_under_review(translation)
        if not (raised and changed):
            continue
        (old_original, new_original), (old_text, new_text) = raised, changed
        if new_original.version > old_original.version and new_text.version == old_text.version:
            fields = new_text.document.source.fields
            review.report(
                new_text.source,
                _(
                    "Version: this change raises %(original)s to version %(new)s and changes "
                    "this translation's text, but leaves it at version %(old)s; raise Version "
                    "here to %(new)s too (with its Effective and Summary), or make the "
                    "correction of version %(old)s a change of its own",
                    original=display_path(new_original.document.path),
                    new=new_original.version,
                    old=new_text.version,
                ),
                fields["version"].line,
            )


def _change_under_review(one):
    """``(base, pending)``: the newest text the base had and the newest of the change,
    when the change under review changes this text."""
    revisions = [revision for entry in one.versions for revision in entry.revisions]
    pending = revisions[-1] if revisions and revisions[-1].source.in_change else None
    base = next((r for r in reversed(revisions) if not r.source.in_change), None)
    return (base, pending) if pending and base and pending.sha256 != base.sha256 else None


# The two comparisons of a version's languages; ``_`` marks them for the catalogs, and
# each is translated where its values are known.
_ANCHORS_DIFFER = N_(
    "section anchors of version %(version)s differ between this file and %(other)s: %(difference)s"
)
_CONTACT_DIFFERS = N_(
    "contact links of version %(version)s differ between this file and %(other)s: %(difference)s"
)


class _Pair:
    """Version ``entry`` of a translation and its ``counterpart`` in the original."""

    def __init__(self, counterpart, entry, review):
        self.sides = (counterpart, entry)
        self.review = review

    def compare_effective(self):
        counterpart, entry = self.sides
        if entry.effective == counterpart.effective:
            return
        document = entry.document
        self.review.report(
            entry.newest.source,
            _(
                "Effective: version %(version)s takes effect %(here)s here but %(there)s in "
                "%(other)s (line %(line)s); one version has one effective date in every language",
                version=entry.version,
                here=entry.effective,
                there=counterpart.effective,
                other=display_path(counterpart.document.path),
                line=counterpart.document.source.fields["effective"].line,
            ),
            document.source.fields["effective"].line,
        )

    def compare(self, message, values, line_of):
        counterpart, entry = self.sides
        if values(counterpart) == values(entry):
            return
        changed = [side for side in self.sides if _previous_values(side, values) != values(side)]
        for version in changed or self.sides:
            other = entry if version is counterpart else counterpart
            here, there = values(version), values(other)
            missing = [value for value in there if value not in here]
            extra = [value for value in here if value not in there]
            self.review.report(
                version.newest.source,
                _(
                    message,
                    version=version.version,
                    other=display_path(other.document.path),
                    difference=_difference(missing, extra),
                ),
                line_of(version, extra, missing, there),
            )


def _previous_values(version, values):
    """What the file had before this version's text: None for a first text."""
    return values(version.before) if version.before else None


def _anchor_line(version, extra, missing, there):
    """The line of the first anchor this text has in addition, or of the heading where
    the first anchor it lacks belongs."""
    lines = version.text.heading_lines
    if extra:
        return lines.get(extra[0], 0)
    following = there[there.index(missing[0]) + 1 :] if missing else ()
    return next((lines[a] for a in following if a in lines), max(lines.values(), default=0))


def _contact_line(version, *_values):
    return version.text.contact_line


def _difference(missing, extra):
    if not (missing or extra):
        return _("the same ones in another order")
    parts = []
    if missing:
        parts.append(_("only the other has %(values)s", values=_listed(missing)))
    if extra:
        parts.append(_("only this file has %(values)s", values=_listed(extra)))
    return "; ".join(parts)


def _listed(values):
    return ", ".join(_shown(value) for value in values)


def _shown(value):
    return f"#{value}" if ":" not in value else value


def _check_unique_slugs(by_key, problems, languages):
    owners = {}
    for by_lang in by_key.values():
        for document in by_lang.values():
            if document.slug in (*languages, "theme"):
                problems.add(
                    document.path,
                    _(
                        "slug '%(slug)s' is the address of the site's own pages (/%(slug)s/); "
                        "choose another",
                        slug=document.slug,
                    ),
                    document.source.fields["slug"].line,
                )
                continue
            owner = owners.setdefault((document.lang, document.slug), document)
            if owner is not document:
                problems.add(
                    document.path,
                    _(
                        "slug '%(slug)s' is already used by %(other)s in language '%(lang)s'; "
                        "each policy needs its own",
                        slug=document.slug,
                        other=owner.path,
                        lang=document.lang,
                    ),
                    document.source.fields["slug"].line,
                )
