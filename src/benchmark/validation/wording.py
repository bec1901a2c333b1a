"""Messages that name the catalogue's areas and categories: an unknown area with suggestions
(and a later edition's area as such), a category problem with the area's valid categories."""

from __future__ import annotations

from benchmark.catalogue import Catalogue
from benchmark.i18n import ALTERNATIVES, Msg, joined
from benchmark.validation.cells import quote


def unknown_area(catalogue: Catalogue, header: str, text: str) -> Msg:
    """E102's message: an area of a later edition is named as such; else "did you mean",
    each suggestion with its Chinese name where the message is said in Chinese. A later area
    that a route of this edition covers (乙二醇: 煤制乙二醇) is offered that route too."""
    hints = catalogue.suggest(text)
    named = joined(
        (Msg("'{area}'", area=h, area_name=catalogue.area(h).name_zh) for h in hints),
        ALTERNATIVES,
    )
    new = catalogue.successor_area(text)
    if new is not None and catalogue.successor is not None:
        succ = catalogue.successor
        later = Msg(
            "{header} {text} is an area of the {edition} edition ({document}), not of this "
            "catalogue ({this_edition} edition): grade it with a {edition} catalogue "
            "(--catalogue FILE)",
            header=header,
            text=quote(text),
            edition=succ.edition,
            document=succ.document,
            this_edition=catalogue.edition,
        )
        if not hints:
            return later
        return Msg("{problem}; or, if it is {hints}, name that area", problem=later, hints=named)
    if not hints:
        return Msg("{header} {text} is not a known area", header=header, text=quote(text))
    return Msg(
        "{header} {text} is not a known area; did you mean {hints}?",
        header=header,
        text=quote(text),
        hints=named,
    )


def category_list(catalogue: Catalogue, area_id: str, problem: Msg) -> Msg:
    """A category problem's message, listing the area's valid categories."""
    area = catalogue.area(area_id)
    names = [
        Msg("{category} ({name})", category=str(lv.category), name=lv.name_zh) for lv in area.levels
    ]
    return Msg("{problem}; valid: {categories}", problem=problem, categories=joined(names))
