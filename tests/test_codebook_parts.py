"""The codebook's parts read from a small hand-made codebook, and every problem it can have, one at a time.

The codebook here is written out in full below (two sections, a scale with a group and its complement, a
figure of two questions); each expected value is read off it by hand. Each problem test breaks exactly
one thing and expects exactly that problem, named by file, place, value and what was expected.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from councils.codebook import Group, Option, load_codebook, parse_codebook
from councils.errors import DataError

PATH = Path("tests-codebook.yaml")


def raw_codebook() -> dict:
    return {
        "missing": {"code": "not_stated", "da": "Uoplyst", "en": "Not stated"},
        "scales": {"agree": [{"code": "agree", "da": "Enig", "en": "Agree"},
                             {"code": "disagree", "da": "Uenig", "en": "Disagree"},
                             {"code": "dont_know", "da": "Ved ikke", "en": "Don't know"}]},
        "scale_groups": {"agree": [{"code": "agreeing", "da": "Enige", "en": "Agreeing", "members": ["agree"]},
                                   {"code": "others", "da": "Andre", "en": "Others", "complement_of": "agreeing"}]},
        "sections": {"2.10": {"chapter": 2, "da": "Ti", "en": "Ten"},
                     "2.9": {"chapter": 2, "da": "Ni", "en": "Nine"},
                     "3.1": {"chapter": 3, "da": "Tre", "en": "Three"}},
        "figures": {"4": {"da": "Figur fire", "en": "Figure four",
                          "intro": {"da": "{figure} viser to", "en": "{figure} shows two"}}},
        "chart_labels": {"share": {"da": "Andel", "en": "Share"}, "count": {"da": "Råd", "en": "Councils"}},
        "questions": [
            {"id": "budget", "section": "2.9", "figure": 4, "type": "single_choice", "wording": "by hand",
             "da": "Har rådet et budget?", "en": "Has the council a budget?", "short_da": "Budget",
             "options": [{"code": "yes", "da": "Ja", "en": "Yes"}, {"code": "no", "da": "Nej", "en": "No",
                                                                     "assumed": True}],
             "intro": {"en": "About money.", "da": "Om penge."}, "commentary": "organisation.money"},
            {"id": "views", "section": "2.9", "figure": 4, "type": "single_choice", "wording": "by hand",
             "da": "Er rådet enigt?", "en": "Does the council agree?", "scale": "agree",
             "groups": [{"code": "all_of_it", "da": "Alle", "en": "All", "members": ["agree", "disagree"]}],
             "phrases": {"lead": "agreeing", "rest": ["others"], "en": {"*": "{n:agree}"}},
             "commentary": ["a.one", "a.two"], "ordered": True},
            {"id": "areas", "section": "3.1", "figure": 5, "type": "multiple_choice", "max_answers": 2,
             "wording": "by hand", "da": "Områder", "en": "Areas",
             "options": [{"code": "jobs", "da": "Job", "en": "Jobs"}, {"code": "school", "da": "Skole",
                                                                          "en": "School"}]},
            {"id": "comment", "section": "3.1", "type": "text", "wording": "by hand", "da": "Kommentar",
             "en": "Comment"},
        ],
    }


@pytest.fixture(scope="module")
def book():
    return parse_codebook(raw_codebook(), PATH)


def test_questions_in_order_with_their_parts(book):
    assert [q.id for q in book.questions] == ["budget", "views", "areas", "comment"]
    assert [q.id for q in book.choice_questions] == ["budget", "views", "areas"]
    budget, views, areas, comment = book.questions
    assert budget.options == (Option("yes", "Ja", "Yes"), Option("no", "Nej", "No", assumed=True))
    assert (budget.section, budget.type, budget.wording, budget.figure) == ("2.9", "single_choice", "by hand", 4)
    assert views.option_codes == ("agree", "disagree", "dont_know")
    assert views.groups == (Group("agreeing", "Enige", "Agreeing", ("agree",)),
                            Group("others", "Andre", "Others", ("disagree", "dont_know", "not_stated"), "agreeing"),
                            Group("all_of_it", "Alle", "All", ("agree", "disagree")))
    assert views.group_codes == ("agreeing", "others", "all_of_it")
    assert views.ordered is True and budget.ordered is False
    assert areas.max_answers == 2 and budget.max_answers is None
    assert (comment.options, comment.groups, comment.figure, comment.is_choice) == ((), (), None, False)
    assert views.phrases == {"lead": "agreeing", "rest": ["others"], "en": {"*": "{n:agree}"}}
    assert budget.sentence is None


def test_words_of_a_question_in_both_languages(book):
    budget, views = book.question("budget"), book.question("views")
    assert (budget.text("da"), budget.text("en"), budget.text()) == \
        ("Har rådet et budget?", "Has the council a budget?", "Has the council a budget?")
    assert budget.short("da") == "Budget"
    assert budget.short("en") == "Has the council a budget?"  # no short name in English: the wording
    assert (budget.intro_text("en"), budget.intro_text("da"), views.intro_text("en")) == \
        ("About money.", "Om penge.", "")
    assert budget.commentary_ids == ("organisation.money",) and views.commentary_ids == ("a.one", "a.two")
    assert book.question("areas").commentary_ids == ("areas",)  # by default its own id
    assert views.label("dont_know", "da") == "Ved ikke" and views.label("others") == "Others"
    assert views.category("agreeing").members == ("agree",)
    assert budget.options[1].label("da") == "Nej" and views.groups[0].label("da") == "Enige"
    assert book.missing.label("da") == "Uoplyst" and book.missing.label() == "Not stated"


def test_what_is_not_there_is_named(book):
    with pytest.raises(KeyError, match="question 'budget' has no option or group 'maybe'"):
        book.question("budget").category("maybe")
    with pytest.raises(KeyError, match="unknown question 'nothing'"):
        book.question("nothing")
    with pytest.raises(KeyError, match="unknown section '9.9'"):
        book.section("9.9")
    assert "views" in book and "nothing" not in book


@pytest.mark.parametrize("call", [
    lambda b: b.question("budget").text("de"), lambda b: b.question("budget").short("sv"),
    lambda b: b.question("budget").intro_text("no"), lambda b: b.missing.label("fr"),
    lambda b: b.question("views").groups[0].label("nl"), lambda b: b.section("2.9").title("fi"),
    lambda b: b.words("is"), lambda b: b.figure_title(4, "de"), lambda b: b.figure_intro(4, "de"),
])
def test_an_unknown_language_is_refused(book, call):
    with pytest.raises(ValueError, match=r"language must be one of en, da, not '\w\w'"):
        call(book)


def test_sections_in_the_order_of_their_numbers(book):
    assert [s.id for s in book.chapter_sections(2)] == ["2.9", "2.10"]  # 9 before 10, not as text
    assert [s.id for s in book.chapter_sections(3)] == ["3.1"]
    assert book.chapter_sections(4) == ()
    assert (book.section("2.10").title("da"), book.section("2.10").title("en"), book.section("3.1").chapter) == \
        ("Ti", "Ten", 3)
    assert [q.id for q in book.section_questions("2.9")] == ["budget", "views"]
    assert book.section_questions("2.10") == ()


def test_figures_their_questions_titles_and_intros(book):
    assert book.figures == (4, 5)
    assert [q.id for q in book.figure_questions(4)] == ["budget", "views"]
    assert (book.figure_title(4, "da"), book.figure_title(4, "en")) == ("Figur fire", "Figure four")
    assert (book.figure_title(5, "da"), book.figure_title(5)) == ("Områder", "Areas")  # its one question's wording
    assert (book.figure_intro(4, "da"), book.figure_intro(4, "en"), book.figure_intro(5)) == \
        ("{figure} viser to", "{figure} shows two", "")
    with pytest.raises(KeyError, match="figure 6 shows 0 questions and needs a title under 'figures'"):
        book.figure_title(6)


def test_chart_words_in_both_languages(book):
    assert book.words("da") == {"share": "Andel", "count": "Råd"}
    assert book.words("en") == {"share": "Share", "count": "Councils"}
    assert book.words() == book.words("en")


def test_with_questions_keeps_or_replaces_the_sections(book):
    fewer = book.with_questions((book.question("areas"),))
    assert [q.id for q in fewer.questions] == ["areas"] and fewer.sections == book.sections
    assert fewer.missing == book.missing and fewer.figure_titles == book.figure_titles
    other = book.with_questions([book.question("budget")], (book.section("3.1"),))
    assert [s.id for s in other.sections] == ["3.1"] and isinstance(other.questions, tuple)


def problems_of(raw: dict) -> list[tuple]:
    with pytest.raises(DataError) as caught:
        parse_codebook(raw, PATH)
    return [(p.file, p.row, p.column, p.value, p.expected) for p in caught.value.problems]


def broken(edit) -> dict:
    raw = copy.deepcopy(raw_codebook())
    edit(raw)
    return raw


def test_a_repeated_question_id():
    raw = broken(lambda r: r["questions"].append(dict(r["questions"][0])))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/4 (budget)", "budget",
                                 "question ids to be unique")]


def test_an_unknown_scale():
    raw = broken(lambda r: r["questions"][1].update(scale="agreement"))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/1 (views)", "agreement",
                                 "a scale defined under 'scales' (agree)")]


def test_repeated_option_codes():
    raw = broken(lambda r: r["questions"][0]["options"].append({"code": "yes", "da": "Ja!", "en": "Yes!"}))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/0 (budget)", "yes, no, yes",
                                 "option codes to be unique")]


def test_groups_on_a_multiple_choice_question():
    raw = broken(lambda r: r["questions"][2].update(groups=[{"code": "g", "da": "G", "en": "G", "members": ["jobs"]}]))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/2 (areas)", "multiple_choice",
                                 "groups only on single-choice questions (a multiple-choice roll-up is ambiguous)")]


def test_a_group_member_that_is_no_option():
    raw = broken(lambda r: r["questions"][1]["groups"][0].update(members=["agree", "maybe", "perhaps"]))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/1 (views)", "maybe, perhaps",
                                 "members of group 'all_of_it' to be options of the question")]


@pytest.mark.parametrize("target", ["nothing", "others"])  # no such group; a group without members
def test_a_complement_of_no_group_with_members(target):
    raw = broken(lambda r: r["questions"][1]["groups"].append(
        {"code": "rest", "da": "Resten", "en": "The rest", "complement_of": target}))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/1 (views)", target,
                                 "complement_of of group 'rest' to name a group with members")]


def test_a_group_code_that_is_an_option_code():
    raw = broken(lambda r: r["questions"][1]["groups"][0].update(code="agree"))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "questions/1 (views)", "agree",
                                 "group codes distinct from option codes")]


def test_cross_references_that_name_nothing():
    def edit(r):
        r["questions"][0]["section"] = "2.8"
        r["questions"][1]["phrases"] = {"lead": "agreed", "rest": ["others", "nobody"], "en": {"maybe": "x"},
                                        "da": {"*": "y", "perhaps": "z"}}
    assert problems_of(broken(edit)) == [
        ("tests-codebook.yaml", None, "questions (budget)/section", "2.8",
         "a section listed under 'sections' (2.10, 2.9, 3.1)"),
        ("tests-codebook.yaml", None, "questions (views)/phrases/lead", "agreed",
         "an option or group of the question, or most_common"),
        ("tests-codebook.yaml", None, "questions (views)/phrases/rest", "nobody", "an option or group of the question"),
        ("tests-codebook.yaml", None, "questions (views)/phrases/en", "maybe",
         "an option or group of the question, or '*' for every option"),
        ("tests-codebook.yaml", None, "questions (views)/phrases/da", "perhaps",
         "an option or group of the question, or '*' for every option"),
        # budget, now in 2.8, and views, in 2.9, share figure 4
        ("tests-codebook.yaml", None, "figures", "4", "the questions of one figure in one section")]


def test_phrases_that_name_the_missing_code_most_common_or_every_option_are_good():
    def edit(r):
        r["questions"][1]["phrases"] = {"lead": "most_common", "rest": ["not_stated", "all_of_it"],
                                        "en": {"*": "x", "not_stated": "y"}, "da": {"dont_know": "z"}}
    assert [q.id for q in parse_codebook(broken(edit), PATH).questions] == ["budget", "views", "areas", "comment"]


def test_a_figure_of_two_questions_needs_a_title_and_one_section():
    def edit(r):
        del r["figures"]
        r["questions"][2]["figure"] = 4
    assert problems_of(broken(edit)) == [
        ("tests-codebook.yaml", None, "figures", "4",
         "a title under 'figures' for figure 4, which shows 3 questions (budget, views, areas)"),
        ("tests-codebook.yaml", None, "figures", "4", "the questions of one figure in one section")]


def test_a_codebook_without_sections_takes_any_section():
    raw = broken(lambda r: r.pop("sections"))
    book = parse_codebook(raw, PATH)
    assert book.sections == () and book.question("budget").section == "2.9"


def test_an_unreadable_codebook_is_named(tmp_path):
    bad = tmp_path / "codebook.yaml"
    bad.write_text("questions: [\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_codebook(bad)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (str(bad), None, None, "")
    assert problem.expected.startswith("a readable YAML file (")
    with pytest.raises(DataError) as caught:
        load_codebook(tmp_path / "missing.yaml")
    assert caught.value.problems[0].expected.startswith("a readable YAML file ([Errno 2]")


def test_every_word_is_english_unless_danish_is_asked_for(book):
    budget, views = book.question("budget"), book.question("views")
    assert views.groups[0].label() == "Agreeing" and budget.options[0].label() == "Yes"
    assert budget.short() == "Has the council a budget?" and budget.intro_text() == "About money."
    assert book.section("2.9").title() == "Nine"
    assert book.figure_intro(4) == "{figure} shows two"
    assert book.figure_title(4) == "Figure four" and views.label("agree") == "Agree"


def test_short_names_in_both_languages_and_a_single_commentary_id():
    raw = copy.deepcopy(raw_codebook())
    raw["questions"][1].update(short_da="Enighed", short_en="Agreement", sentence="shared", commentary="a.only")
    views = parse_codebook(raw, PATH).question("views")
    assert (views.short("da"), views.short("en"), views.short()) == ("Enighed", "Agreement", "Agreement")
    assert views.commentary == ("a.only",) and views.sentence == "shared"


def test_scales_and_their_groups_are_kept_for_questions_added_later(book):
    # series.py builds an added question's options and groups from these
    assert book.scales == {"agree": (Option("agree", "Enig", "Agree"), Option("disagree", "Uenig", "Disagree"),
                                     Option("dont_know", "Ved ikke", "Don't know"))}
    assert book.scale_groups == raw_codebook()["scale_groups"]


def test_a_codebook_with_only_questions_and_the_missing_code():
    raw = {"missing": {"code": "not_stated", "da": "Uoplyst", "en": "Not stated"},
           "questions": [{"id": "budget", "section": "1.1", "type": "single_choice", "wording": "by hand",
                          "da": "Budget?", "en": "Budget?", "options": [{"code": "yes", "da": "Ja", "en": "Yes"},
                                                                        {"code": "no", "da": "Nej", "en": "No"}]}]}
    book = parse_codebook(raw, PATH)
    assert (book.scales, book.scale_groups, book.words(), book.figure_titles, book.figure_intros, book.sections) \
        == ({}, {}, {}, (), (), ())
    budget = book.question("budget")
    assert (budget.phrases, budget.groups, budget.intro, budget.commentary, budget.ordered) == ({}, (), (), (), False)


def test_a_missing_code_among_the_options_is_in_a_complement_once():
    def edit(r):
        r["questions"][0]["options"].append({"code": "not_stated", "da": "Uoplyst", "en": "Not stated"})
        r["questions"][0]["groups"] = [{"code": "yes_only", "da": "Ja", "en": "Yes", "members": ["yes"]},
                                       {"code": "rest", "da": "Resten", "en": "The rest", "complement_of": "yes_only"}]
    budget = parse_codebook(broken(edit), PATH).question("budget")
    assert budget.category("rest").members == ("no", "not_stated")


def test_an_unknown_scale_names_every_scale():
    def edit(r):
        r["scales"]["size"] = [{"code": "big", "da": "Stor", "en": "Big"}, {"code": "small", "da": "Lille", "en": "Small"}]
        r["questions"][1]["scale"] = "agreement"
    assert problems_of(broken(edit)) == [("tests-codebook.yaml", None, "questions/1 (views)", "agreement",
                                          "a scale defined under 'scales' (agree, size)")]


def test_two_group_codes_that_are_option_codes():
    def edit(r):
        r["questions"][1]["groups"] = [{"code": "disagree", "da": "U", "en": "D", "members": ["disagree"]},
                                       {"code": "agree", "da": "E", "en": "A", "members": ["agree"]}]
    assert problems_of(broken(edit)) == [("tests-codebook.yaml", None, "questions/1 (views)", "agree, disagree",
                                          "group codes distinct from option codes")]


def test_a_figure_of_exactly_two_questions_needs_a_title():
    raw = broken(lambda r: r.pop("figures"))
    assert problems_of(raw) == [("tests-codebook.yaml", None, "figures", "4",
                                 "a title under 'figures' for figure 4, which shows 2 questions (budget, views)")]
