"""What a page reads of the dataset is noted exactly enough for the preview: every read whose
result differs between two versions of the data is found among the differences, so no page
that should change is left as it was."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from hypothesis import example, given
from hypothesis import strategies as st

from generator.model.tracked import ALL, LENGTH, derived, recording, track, tracking
from generator.site.preview import _differences


@dataclass(frozen=True)
class Record:
    a: int
    b: str

    @property
    def both(self) -> str:
        return f"{self.a}{self.b}"


@dataclass(frozen=True)
class Other:
    c: int


class Holder:
    def __init__(self, items: dict) -> None:
        self.items = track("holder.items", items)

    @derived
    def total(self) -> dict:
        return {"sum": sum(r.a for r in self.items.values())}

    @derived
    def count(self) -> int:
        return len(self.items)


def test_reads_are_noted_by_key_by_field_and_whole():
    with tracking():
        records = track("dataset.records", {"x": Record(1, "p"), "y": Record(2, "q")})
        names = track("views.names", ["x", "y"])
    with recording() as reads:
        seen = [records["x"].a, records.get("z"), "y" in records, len(names)]
    assert seen == [1, None, True, 2]
    assert reads == {
        ("dataset.records", "x"),
        ("dataset.records", "x", "a"),
        ("dataset.records", "z"),
        ("dataset.records", "y"),
        ("views.names", LENGTH),
    }
    with recording() as reads:
        [r.b for r in records.values()]
        list(names)  # (which asks for the length as well, as a hint)
    assert reads - {("views.names", LENGTH)} == {
        ("dataset.records", ALL),
        ("dataset.records", "x", "b"),
        ("dataset.records", "y", "b"),
        ("views.names", ALL),
    }


def test_a_property_and_a_derived_figure_are_noted_as_themselves():
    with tracking():
        holder = Holder({"x": Record(1, "p")})
        with recording() as reads:
            assert holder.items["x"].both == "1p"
        assert reads == {("holder.items", "x"), ("holder.items", "x", "both")}
        with recording() as reads:
            assert holder.total["sum"] == 1  # computed now, without noting what it reads
        assert reads == {("holder.total", "sum")}
        for _ in range(2):  # a value that is not a container: noted on every read, not once
            with recording() as reads:
                assert holder.count == 1
            assert reads == {("holder.count", ALL)}


def test_with_tracking_off_nothing_changes_and_nothing_is_noted():
    items = {"x": Record(1, "p")}
    holder = Holder(items)
    assert type(holder.items) is dict and type(holder.total) is dict
    assert type(items["x"]) is Record
    with recording() as reads:
        assert holder.items["x"].a == 1
    assert reads == set()


def test_field_reads_are_noted_while_any_page_records_and_only_then():
    """Records note their field reads only while a page is recorded (outside, a read costs
    what a plain record's does): a recording inside another leaves the outer one noting, and
    a record first tracked while a page records notes at once."""
    with tracking():
        records = track("dataset.records", {"x": Record(1, "p")})
        assert records["x"].a == 1  # no page records: nothing to note, nothing fails
        with recording() as outer:
            with recording() as inner:
                assert records["x"].b == "p"
            assert records["x"].a == 1  # noted in the outer once the inner is done
            later = track("views.later", {"y": Other(2)})  # its class's first noting record
            assert later["y"].c == 2
        assert records["x"].a == 1 and later["y"].c == 2
    assert inner == {("dataset.records", "x"), ("dataset.records", "x", "b")}
    assert outer == {
        ("dataset.records", "x"),
        ("dataset.records", "x", "a"),
        ("views.later", "y"),
        ("views.later", "y", "c"),
    }


def test_a_record_that_notes_its_reads_is_pickled_as_the_plain_record():
    """A preview hands its downloads' data to a new process, pickled: a record found through
    a tracked container arrives there as the record it is, noting nothing."""
    with tracking():
        holder = Holder({"x": Record(1, "p")})
        noting = holder.items["x"]
        assert type(noting) is not Record
        copy = pickle.loads(pickle.dumps([noting], protocol=pickle.HIGHEST_PROTOCOL))[0]
    assert type(copy) is Record and copy == Record(1, "p")
    assert vars(copy) == {"a": 1, "b": "p"}


_records = st.builds(Record, st.integers(0, 2), st.sampled_from("pq"))
_data = st.dictionaries(st.sampled_from("abcd"), _records, max_size=4)
_reads = st.lists(
    st.one_of(
        st.tuples(st.just("get"), st.sampled_from("abcde")),
        st.tuples(st.just("field"), st.sampled_from("abcde"), st.sampled_from(["a", "b", "both"])),
        st.tuples(st.just("in"), st.sampled_from("abcde")),
        st.just(("len",)),
        st.just(("keys",)),
        st.just(("values", "a")),
    ),
    max_size=6,
)


def _run(items, program) -> tuple[list, set]:
    """Run the reads of ``program`` on a tracked copy of ``items``: (results, reads)."""
    with tracking():
        tracked = track("dataset.items", dict(items))
    results = []
    with recording() as reads:
        for step in program:
            if step[0] == "get":  # what a page learns from the record is read by its fields
                results.append(tracked.get(step[1]) is not None)
            elif step[0] == "field":
                found = tracked.get(step[1])
                results.append(getattr(found, step[2]) if found else None)
            elif step[0] == "in":
                results.append(step[1] in tracked)
            elif step[0] == "len":
                results.append(len(tracked))
            elif step[0] == "keys":
                results.append(list(tracked))
            else:
                results.append([getattr(r, step[1]) for r in tracked.values()])
    return results, reads, tracked


@given(_data, _data, _reads)
@example(
    {"a": Record(0, "p"), "b": Record(1, "q")},
    {"b": Record(1, "q"), "a": Record(0, "p")},
    [("keys",)],
)
def test_every_read_that_gives_another_result_is_among_the_differences(old, new, program):
    before, reads, old_tracked = _run(old, program)
    after, _, new_tracked = _run(new, program)
    if before != after:
        assert reads & _differences("dataset.items", old_tracked, new_tracked)
