"""Language codes as users give them."""

from __future__ import annotations

import pytest

from passeur.errors import InputError
from passeur.languages import check_code


@pytest.mark.parametrize("given, code", [("fr", "fr"), ("FR", "fr"), (" en ", "en"), ("en-US", "en"), ("pt-BR", "pt"),
                                         ("he_IL", "he"), ("iw", "he"), ("zh-Hant", "zh")])
def test_codes_are_their_language(given, code):
    assert check_code(given) == code


@pytest.mark.parametrize("given", ["english", "e", "", "fr-", "x y", "../fr"])
def test_other_values_are_refused(given):
    with pytest.raises(InputError, match="not a language code"):
        check_code(given)
