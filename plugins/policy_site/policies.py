"""Groups policy files into policies, one text per language, and checks they agree."""

from collections import defaultdict
from dataclasses import dataclass

from .errors import display_path


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
                f"policy '{document.policy}' in language '{document.lang}' is already "
                f"written in {taken.path}; one file per policy and language",
                document.source.fields["lang"].line,
            )
            continue
        by_key[document.policy][document.lang] = document
    for key, by_lang in sorted(by_key.items()):
        present = next(iter(by_lang.values()))
        for lang in languages:
            if lang in untranslated.get(key, ()):
                if lang in by_lang:
                    problems.add(
                        by_lang[lang].path,
                        f"policy '{key}' is marked untranslated into '{lang}' in POLICY_SITE, "
                        "but this file translates it; remove the mark or the file",
                    )
                continue
            if lang not in by_lang:
                problems.add(
                    present.path,
                    f"policy '{key}' has no text in language '{lang}'; add a file with "
                    f"'Policy: {key}' and 'Lang: {lang}', or mark it untranslated in "
                    f"POLICY_SITE['untranslated']",
                    present.source.fields["policy"].line,
                )
    _check_unique_slugs(by_key, problems, languages)
    return [Policy(key, dict(by_lang)) for key, by_lang in sorted(by_key.items())]


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
                pair.compare("section anchors", lambda v: v.text.anchors, _anchor_line)
                pair.compare("contact links", lambda v: v.text.contact, _contact_line)


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
                f"Version: this change raises {display_path(new_original.document.path)} to "
                f"version {new_original.version} and changes this translation's text, but "
                f"leaves it at version {new_text.version}; raise Version here to "
                f"{new_original.version} too (with its Effective and Summary), or make the "
                f"correction of version {new_text.version} a change of its own",
                fields["version"].line,
            )


def _change_under_review(one):
    """``(base, pending)``: the newest text the base had and the newest of the change,
    when the change under review changes this text."""
    revisions = [revision for entry in one.versions for revision in entry.revisions]
    pending = revisions[-1] if revisions and revisions[-1].source.in_change else None
    base = next((r for r in reversed(revisions) if not r.source.in_change), None)
    return (base, pending) if pending and base and pending.sha256 != base.sha256 else None


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
            f"Effective: version {entry.version} takes effect {entry.effective} here but "
            f"{counterpart.effective} in {display_path(counterpart.document.path)} (line "
            f"{counterpart.document.source.fields['effective'].line}); one version has one "
            "effective date in every language",
            document.source.fields["effective"].line,
        )

    def compare(self, what, values, line_of):
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
                f"{what} of version {version.version} differ between this file and "
                f"{display_path(other.document.path)}: {_difference(missing, extra)}",
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
        return "the same ones in another order"
    parts = []
    if missing:
        parts.append("only the other has " + ", ".join(_shown(value) for value in missing))
    if extra:
        parts.append("only this file has " + ", ".join(_shown(value) for value in extra))
    return "; ".join(parts)


def _shown(value):
    return f"#{value}" if ":" not in value else value


def _check_unique_slugs(by_key, problems, languages):
    owners = {}
    for by_lang in by_key.values():
        for document in by_lang.values():
            if document.slug in (*languages, "theme"):
                problems.add(
                    document.path,
                    f"slug '{document.slug}' is the address of the site's own pages "
                    f"(/{document.slug}/); choose another",
                    document.source.fields["slug"].line,
                )
                continue
            owner = owners.setdefault((document.lang, document.slug), document)
            if owner is not document:
                problems.add(
                    document.path,
                    f"slug '{document.slug}' is already used by {owner.path} in "
                    f"language '{document.lang}'; each policy needs its own",
                    document.source.fields["slug"].line,
                )
