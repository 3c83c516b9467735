"""Long file names are shortened to the column's limit and keep their extension."""

from hexie.core.filenames import shorten_name


def test_a_name_at_the_limit_is_kept_as_is():
    name = "工" * 196 + ".pdf"
    assert shorten_name(name, 200) == name


def test_a_name_one_over_the_limit_keeps_its_extension():
    name = "工" * 197 + ".pdf"
    short = shorten_name(name, 200)
    assert len(short) == 200 and short.endswith(".pdf") and short.startswith("工" * 196)


def test_folders_are_dropped_and_an_odd_extension_is_cut_like_the_rest():
    assert shorten_name("C:\\Users\\王\\工资条.xlsx", 200) == "工资条.xlsx"
    assert shorten_name("../../etc/工资条.csv", 200) == "工资条.csv"
    assert shorten_name("a" * 10 + "." + "b" * 30, 20) == "a" * 10 + "." + "b" * 9
