"""Rules for the guide's routes (data/routes.yaml): sources resolve, each partnership form
belongs to one route, and the chooser is a tree whose answers reach every question and every
route."""

from __future__ import annotations

from ..problems import Problem
from ..source.load import Record
from .context import Context, at, find_keys, unresolved


def check_routes(ctx: Context) -> list[Problem]:
    """The guide's routes: sources resolve, each form belongs to one route, and the chooser
    is a tree whose answers reach every question and every route."""
    record = ctx.routes
    if record is None or not isinstance(record.data.get("routes"), list):
        return []
    data = record.data
    problems: list[Problem] = []

    def items(key: str) -> list[tuple[int, dict]]:
        value = data.get(key) if key != "questions" else (data.get("chooser") or {}).get(key)
        return [(i, v) for i, v in enumerate(value or []) if isinstance(v, dict)]

    def unique(key: str, path: tuple) -> dict[str, int]:
        seen: dict[str, int] = {}
        for i, item in items(key):
            if item.get("id") in seen:
                problems.append(
                    at(
                        record,
                        (*path, i, "id"),
                        "invalid-value",
                        f"the id '{item['id']}' is used twice",
                    )
                )
            seen.setdefault(item.get("id"), i)
        return seen

    sources = unique("sources", ("sources",))
    routes = unique("routes", ("routes",))
    questions = unique("questions", ("chooser", "questions"))
    problems += _sources(ctx, record, items("sources"), sources)
    problems += _forms(record, items("routes"))
    problems += _chooser(record, routes, questions, items("questions"))
    return problems


def _sources(ctx: Context, record: Record, items: list, sources: dict) -> list[Problem]:
    """Sources that name a city document name one that exists, and statements name a
    source of this file."""
    problems = []
    for i, source in items:
        decision = source.get("decision_id")
        if decision and "decisions" in ctx.known and decision not in ctx.known["decisions"]:
            problems.append(
                unresolved(record, ("sources", i, "decision_id"), decision, "decisions")
            )
    for path, _, value in find_keys(record.data, ("source",)):
        if value not in sources:
            problems.append(
                at(
                    record,
                    path,
                    "unknown-reference",
                    f"'{value}' is not an id in this file's sources",
                )
            )
    return problems


def _forms(record: Record, routes: list) -> list[Problem]:
    """Each partnership form belongs to one route."""
    problems = []
    owner: dict[str, str] = {}
    for i, route in routes:
        for j, form in enumerate(route.get("forms") or []):
            if form in owner:
                problems.append(
                    at(
                        record,
                        ("routes", i, "forms", j),
                        "link-mismatch",
                        f"the form {form} already belongs to the route "
                        f"{owner[form]}; a form links to one route",
                    )
                )
            owner.setdefault(form, route.get("id"))
    return problems


def _chooser(record: Record, routes: dict, questions: dict, items: list) -> list[Problem]:
    problems, children, reached_routes = _answers(record, routes, questions, items)
    base = ("chooser", "questions")
    start = (record.data.get("chooser") or {}).get("start")
    if start not in questions:
        return [
            *problems,
            at(
                record, ("chooser", "start"), "unknown-reference", f"there is no question '{start}'"
            ),
        ]
    seen, loops = _walk(start, children)
    for node, child in loops:
        problems.append(
            at(
                record,
                (*base, questions[node], "answers"),
                "link-mismatch",
                f"the answers lead back to '{child}'; the chooser must be a tree",
            )
        )
    for question, i in questions.items():
        if question not in seen:
            problems.append(
                at(
                    record,
                    (*base, i, "id"),
                    "link-mismatch",
                    f"no answer leads to the question '{question}'",
                )
            )
    for route, i in routes.items():
        if route not in reached_routes:
            problems.append(
                at(
                    record,
                    ("routes", i, "id"),
                    "link-mismatch",
                    f"no answer in the chooser leads to the route '{route}'",
                )
            )
    return problems


def _answers(record: Record, routes: dict, questions: dict, items: list):
    """Problems with the answers' targets; each question's next questions; the routes that
    some answer leads to."""
    problems = []
    reached_routes: set[str] = set()
    children: dict[str, list[str]] = {}
    base = ("chooser", "questions")
    for i, question in items:
        children[question.get("id")] = []
        for j, answer in enumerate(question.get("answers") or []):
            if not isinstance(answer, dict):
                continue
            target = answer.get("next")
            if target is not None and target not in questions:
                problems.append(
                    at(
                        record,
                        (*base, i, "answers", j, "next"),
                        "unknown-reference",
                        f"there is no question '{target}'",
                    )
                )
            elif target is not None:
                children[question.get("id")].append(target)
            for k, route in enumerate(answer.get("routes") or []):
                if route not in routes:
                    problems.append(
                        at(
                            record,
                            (*base, i, "answers", j, "routes", k),
                            "unknown-reference",
                            f"there is no route '{route}'",
                        )
                    )
                reached_routes.add(route)
    return problems, children, reached_routes


def _walk(start: str, children: dict[str, list[str]]) -> tuple[set[str], list[tuple[str, str]]]:
    """Walk the tree from the start: every question once, never back to an earlier one.
    Returns the questions reached and the answers that lead back (question, earlier one)."""
    seen, stack, on_path = {start}, [(start, iter(children.get(start, [])))], {start}
    loops = []
    while stack:
        node, rest = stack[-1]
        child = next(rest, None)
        if child is None:
            stack.pop()
            on_path.discard(node)
        elif child in on_path:
            loops.append((node, child))
        elif child not in seen:
            seen.add(child)
            on_path.add(child)
            stack.append((child, iter(children.get(child, []))))
    return seen, loops
