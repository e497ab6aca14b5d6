"""Lineages: syndicated copies of one report are one lineage with its original marked;
unrelated reports on the same topic are not; the result does not depend on arrival order."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import select

from recruitwatch.analysis.lineage import DocumentIds, lineage_of, same_lineage, signature, update_lineages
from recruitwatch.store import Store, schema
from tests.analysis.corroboration_helpers import save_document
from tests.analysis.corroboration_texts import (
    ORIGINAL_PARAGRAPHS,
    ORIGINAL_TITLE,
    UNRELATED_REPORTS,
    syndicated_copies,
)

ORIGINAL_TEXT = ORIGINAL_TITLE + "\n\n" + "\n\n".join(ORIGINAL_PARAGRAPHS)
ORIGINAL_URL = "https://northern-courier.example/2023/11/14/somali-raid"


def _lineages(store: Store) -> dict[int, tuple[int, bool]]:
    DL = schema.document_lineages
    with store.engine.connect() as conn:
        return {d: (lineage, original) for d, lineage, original in
                conn.execute(select(DL.c.document_id, DL.c.lineage_id, DL.c.original))}


def _store_corpus(store: Store, copies_first: bool = False) -> tuple[int, list[int], list[int]]:
    def original() -> int:
        return save_document(store, ORIGINAL_URL, ORIGINAL_TEXT, published=date(2023, 11, 14))

    def copies() -> list[int]:
        return [save_document(store, f"https://outlet{i}.example/news/{i}", text, published=date(2023, 11, 15 + i))
                for i, (_, text) in enumerate(syndicated_copies())]

    if copies_first:
        copy_ids = copies()
        original_id = original()
    else:
        original_id = original()
        copy_ids = copies()
    unrelated = [save_document(store, f"https://other{i}.example/{i}", text, published=date(2023, 12, 1))
                 for i, (_, text) in enumerate(UNRELATED_REPORTS)]
    return original_id, copy_ids, unrelated


def test_ten_syndicated_copies_are_one_lineage_with_the_original_marked(store: Store) -> None:
    original, copies, unrelated = _store_corpus(store)
    update_lineages(store)
    lineages = _lineages(store)
    assert {lineages[d][0] for d in [original, *copies]} == {original}
    assert [d for d in [original, *copies] if lineages[d][1]] == [original]  # the earliest published
    # Unrelated reports on the same topic: a lineage each, each its own original.
    assert {lineages[d] for d in unrelated} == {(d, True) for d in unrelated}
    with store.engine.connect() as conn:
        assert lineage_of(conn, copies[3])[0] == original
        assert sorted(lineage_of(conn, copies[3])) == sorted([original, *copies])


def test_the_original_is_the_one_the_others_cite_by_url(store: Store) -> None:
    cited = save_document(store, "https://wire.example/story/77", ORIGINAL_TEXT, published=date(2023, 11, 16))
    for i, (_, text) in enumerate(syndicated_copies()[:4]):
        # Published earlier than the story they cite (a misdated copy): citation wins.
        save_document(store, f"https://copy{i}.example/{i}", text + "\nSource: https://wire.example/story/77",
                      published=date(2023, 11, 14))
    update_lineages(store)
    lineages = _lineages(store)
    assert {lineage for lineage, _ in lineages.values()} == {cited}
    assert [d for d, (_, original) in lineages.items() if original] == [cited]


def test_changed_documents_are_one_sorted_array_of_unique_ids() -> None:
    changed = DocumentIds([np.array([9, 3], dtype=np.int64), np.array([3, 5], dtype=np.int64)])
    assert (list(changed), len(changed)) == ([3, 5, 9], 3)
    assert 5 in changed and 4 not in changed and 10 not in changed
    assert not DocumentIds() and list(DocumentIds()) == []


def test_copies_stored_before_their_original_give_the_same_lineage(store: Store) -> None:
    original, copies, unrelated = _store_corpus(store, copies_first=True)
    assert update_lineages(store)
    assert set(update_lineages(store)) == set()  # nothing new: nothing changes
    lineages = _lineages(store)
    first = min([original, *copies])
    assert {lineages[d][0] for d in [original, *copies]} == {first}  # named by its first stored member
    assert [d for d in [original, *copies] if lineages[d][1]] == [original]  # still the earliest published
    assert {lineages[d][0] for d in unrelated} == set(unrelated)


def test_documents_arriving_one_by_one_join_the_stored_lineage(store: Store) -> None:
    ids = [save_document(store, ORIGINAL_URL, ORIGINAL_TEXT, published=date(2023, 11, 14))]
    update_lineages(store)
    for i, (_, text) in enumerate(syndicated_copies()):
        ids.append(save_document(store, f"https://late{i}.example/{i}", text, published=date(2023, 11, 20)))
        update_lineages(store)
    lineages = _lineages(store)
    assert {lineages[d][0] for d in ids} == {ids[0]}
    assert [d for d in ids if lineages[d][1]] == [ids[0]]


def test_a_purged_original_hands_the_mark_to_the_next(store: Store) -> None:
    original, copies, _ = _store_corpus(store)
    update_lineages(store)
    with store.engine.begin() as conn:
        conn.execute(schema.documents.delete().where(schema.documents.c.id == original))
    assert set(update_lineages(store)) == set()
    lineages = _lineages(store)
    assert [d for d in copies if lineages[d][1]] == [copies[0]]  # now the earliest published
    assert {lineages[d][0] for d in copies} == {original}  # the lineage keeps its name


def test_similarity_rule() -> None:
    original = signature(ORIGINAL_TEXT)
    trimmed = signature("\n\n".join(ORIGINAL_PARAGRAPHS[:3]))  # half the report: held inside the original
    assert same_lineage(original, trimmed)
    assert not same_lineage(original, signature(UNRELATED_REPORTS[0][1]))
    assert not same_lineage(signature(""), signature(""))  # empty texts are not copies of each other
    assert signature(ORIGINAL_TEXT).to_bytes() == original.to_bytes()  # deterministic
    assert len(original.to_bytes()) == 512


DECISION = ("Кемский городской суд Республики Карелия, судья Иванова А.А., рассмотрев дело об "
            "административном правонарушении, предусмотренном частью 1.1 статьи 18.8 КоАП РФ, в отношении "
            "гражданина {nat} {who}, {born} года рождения, установил: {who} нарушил режим пребывания в "
            "Российской Федерации. Постановил: признать виновным, назначить штраф в размере 2000 рублей "
            "с административным выдворением за пределы Российской Федерации.")


def test_look_alike_decisions_of_one_court_stay_apart_and_captures_of_one_case_join(store: Store) -> None:
    from recruitwatch.models import CourtCase

    court = "Кемский городской суд"
    people = [("Узбекистана", "К.А.Б.", 1990, "5-101/2023"), ("Таджикистана", "Р.С.Т.", 1988, "5-102/2023"),
              ("Узбекистана", "М.О.П.", 1995, "5-103/2023")]
    ids = [save_document(store, f"court/{number}.html", DECISION.format(nat=nat, who=who, born=born),
                         case=CourtCase(case_number=number, court=court))
           for nat, who, born, number in people]
    first = DECISION.format(nat=people[0][0], who=people[0][1], born=people[0][2])
    assert same_lineage(signature(first), signature(DECISION.format(nat=people[1][0], who=people[1][1],
                                                                    born=people[1][2])))  # alike as texts…
    mirror = save_document(store, "https://mirror.example/5-101", "Опубликовано: " + first,
                           case=CourtCase(case_number="5-101/2023 ", court=court.upper()))
    update_lineages(store)
    with store.engine.connect() as conn:
        lineages = [lineage_of(conn, i) for i in ids]
    assert lineages[0] == [ids[0], mirror]  # …but one case's two captures are one lineage
    assert lineages[1] == [ids[1]] and lineages[2] == [ids[2]]  # and each other decision its own
