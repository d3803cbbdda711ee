"""Groups policy files into policies, one text per language, and checks they agree."""

from collections import defaultdict
from dataclasses import dataclass


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
    _check_unique_slugs(by_key, problems)
    return [Policy(key, dict(by_lang)) for key, by_lang in sorted(by_key.items())]


def compare_anchors(original, expected, translation, found, problems):
    """The translation has the original's section anchors, in the same order."""
    if found == expected:
        return
    missing = [anchor for anchor in expected if anchor not in found]
    extra = [anchor for anchor in found if anchor not in expected]
    problems.add(
        translation.path,
        f"section anchors of version {translation.version} differ from {original.path}: "
        f"{_anchor_difference(missing, extra)}",
        translation.line_of(f"#{extra[0]}") if extra else 0,
    )


def _anchor_difference(missing, extra):
    if not (missing or extra):
        return "the same anchors in another order"
    parts = []
    if missing:
        parts.append("missing " + ", ".join(f"#{anchor}" for anchor in missing))
    if extra:
        parts.append("not in the original: " + ", ".join(f"#{anchor}" for anchor in extra))
    return "; ".join(parts)


def _check_unique_slugs(by_key, problems):
    owners = {}
    for by_lang in by_key.values():
        for document in by_lang.values():
            owner = owners.setdefault((document.lang, document.slug), document)
            if owner is not document:
                problems.add(
                    document.path,
                    f"slug '{document.slug}' is already used by {owner.path} in "
                    f"language '{document.lang}'; each policy needs its own",
                    document.source.fields["slug"].line,
                )
