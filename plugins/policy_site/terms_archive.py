"""Open Terms Archive declarations: for each language, a JSON file in the declaration
format of opentermsarchive.org (the service's name, and per document its terms type, the
address to fetch and the selector of the text), for whoever submits it to a collection."""

import json

SELECT = ".policy-text"
REMOVE = ".permalink, .section-history, .next-change"


def declarations(views, siteurl, sitename, types):
    """``{path in the output: JSON text}``, one declaration per language with a policy
    that ``types`` ({policy: terms type}) names."""
    by_lang = {}
    for (policy, lang), view in sorted(views.items()):
        if policy in types and not view.retired:
            documents = by_lang.setdefault(lang, {})
            documents[types[policy]] = {
                "fetch": f"{siteurl}/{view.current_url}",
                "select": SELECT,
                "remove": REMOVE,
            }
    return {
        f"open-terms-archive/{lang}/{sitename}.json": json.dumps(
            {"name": sitename, "documents": documents}, ensure_ascii=False, indent=2
        )
        + "\n"
        for lang, documents in by_lang.items()
    }
