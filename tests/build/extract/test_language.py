"""Which passages are English (`newsfacts.build.extract.language`): extraction reads only those."""

from __future__ import annotations

from newsfacts.build.extract.language import FOREIGN_SCRIPT, has_english, line_is_english, passages

INTERVIEW = (
    "((WN)) So can you tell me something about yourself? ((hi))Hindi language: तो मुझे आपके "
    "बारे में ज़रा बताएँगे?\n"
    "((Akram Pasha)) My name is Akram. I am from Mysore. ((hi))Hindi language: नहीं।\n\n"
    "Contestants came from many parts of Russia. Image: Дмитрий Кошелев.\n\n"
    "((es))Spanish language: A pesar de contar con el mandato del pueblo que democráticamente "
    "me eligió, hoy siento que continuar en esta posición representa una dificultad."
)


def test_foreign_passages_inside_english_lines_are_set_aside():
    p = passages(INTERVIEW)
    other = [INTERVIEW[s:e] for s, e in p.other]
    english = [INTERVIEW[s:e] for s, e in p.english]
    assert all(FOREIGN_SCRIPT.search(t) is None for t in english), english
    assert any("तो मुझे" in t for t in other) and any("Кошелев" in t for t in other)
    assert any(t.startswith("((es))Spanish language: A pesar") for t in other)
    assert "((WN)) So can you tell me something about yourself?" in english
    assert "Contestants came from many parts of Russia." in english
    assert 0.3 < p.english_share < 0.7
    for s, e in p.english:
        assert p.is_english(s, e) and not p.is_english(s, e + 1) or e == len(INTERVIEW)


def test_long_latin_run_inside_a_foreign_piece_is_judged_alone():
    text = ("((ko))Korean language: 4~5시간 전에 아버지가 유언 같은 말을 "
            "남기고 집을 나갔는데 전화기가 "
            "꺼져 있다 Park's phone was last active in Seoul, The Korea Herald reported.\n\n"
            "और मैं पिछले १८ साल से HIV-virus के साथ जी रहा हूँ।")
    p = passages(text)
    english = [text[s:e] for s, e in p.english]
    assert english == ["Park's phone was last active in Seoul, The Korea Herald reported."]
    assert not any("HIV" in t for t in english)  # a code-mixed word stays with its sentence


def test_short_and_plain_english_passages_count_as_english():
    for line in ("Reuters", "Tom Tancredo Image: US Congress.", "((Jaya)) No sir, no.",
                 "Prime Minister Boris Johnson", "2,000", "", "youtube-dl executes this "
                 "JavaScript, just like a web browser.",
                 "Mayor Paweł Adamowicz of Gdańsk died on Monday after he was stabbed."):
        assert line_is_english(line), line
    assert passages("The mayor said so.\n\nHe left.").english_share == 1.0


def test_no_english_passage():
    assert not has_english("Дмитрий сказал.\n\nहैं यह बहुत अच्छा है")
    assert not has_english("中国外交部发言人表示反对。")
    assert not has_english("Le bilan est lourd, plusieurs policiers ont perdu la vie dans "
                           "cette effroyable attaque survenue à la préfecture de police.")
    assert has_english("Le bilan est lourd. The mayor of Paris said many officers died.")
    assert has_english("x") and has_english("2,000 !")  # nothing to judge: kept


def test_deterministic():
    assert passages(INTERVIEW) == passages(INTERVIEW)
