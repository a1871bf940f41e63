"""Event arguments by rule: which actor mentions a trigger's grammatical roles stand for
(subjects, objects, agents, prepositional complements, possessors), through pronouns, titles,
'the two sides', 'identified as' and conjuncts (`RuleArguments`). The learned model
(`newsfacts.build.extract.learned`) takes this reading as one of its features."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from newsfacts.build.extract.actors import ActorResult, Mention
from newsfacts.build.extract.event_lexicon import lexicon

TARGET_PREPS = tuple(lexicon()["target_preps"])
NOUN_TARGET_PREPS = tuple(lexicon()["noun_target_preps"])
NAMING_VERBS = frozenset(lexicon()["naming_verbs"])
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
FIRST_PERSON = frozenset({"i", "me", "my", "we", "us", "our"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})


def prep_objects(head: Token, preps: tuple[str, ...]) -> Iterator[Token]:
    """Objects of `head`'s prepositions `preps` ('talks [with] [the Taliban]'), in order."""
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            yield from (p for p in c.children if p.dep_ == "pobj")


def copular_passive_subjects(verb: Token) -> list[Token]:
    """Subject of a passive the parser read as 'be' + adjective ('He was nominated ... by
    President Ford': 'nominated' is acomp of 'was'): only with a 'by' agent."""
    if verb.dep_ != "acomp" or verb.tag_ != "VBN" or not any(
            c.dep_ == "agent" for c in verb.children):
        return []
    return [c for c in verb.head.children if c.dep_ == "nsubj"]


class RuleArguments:
    """Maps syntactic argument tokens to actor mentions."""

    def __init__(self, doc: Doc, actors: ActorResult) -> None:
        self.doc = doc
        self.actors = actors
        self.persons = sorted((m for m in actors.mentions
                               if actors.actors[m.actor_id].kind == "person"),
                              key=lambda m: m.start)
        self.pairs: list[tuple[int, Mention, Mention]] = []  # (token, source, target), text order

    def note_pair(self, at: int, source: Mention | None, target: Mention | None) -> None:
        """Remember the parties of a symmetric event: 'the two sides' later refers to them."""
        if source is not None and target is not None and all(
                self.actors.actors[m.actor_id].kind != "person" for m in (source, target)):
            self.pairs.append((at, source, target))

    def mentions_of(self, tok: Token | None, depth: int = 0) -> list[Mention]:
        """Mentions an argument token stands for (itself, its name modifiers, conjuncts)."""
        if tok is None or depth > 3:
            return []
        found = self._direct(tok, depth)
        for conj in tok.children:
            if conj.dep_ == "conj":
                found += self.mentions_of(conj, depth + 1)
        seen, out = set(), []
        for m in found:
            if m.actor_id not in seen:
                seen.add(m.actor_id)
                out.append(m)
        return out

    def _direct(self, tok: Token, depth: int) -> list[Mention]:
        """Mention of the token itself, of its modifiers, or of an 'of' complement."""
        tm = self.actors.token_mention
        if tok.i in tm:
            return [tm[tok.i]]
        if tok.lower_ == "sides" and any(c.lower_ in ("two", "both") for c in tok.children):
            return self.two_sides(tok.i)
        if tok.lower_ in PERSON_PRONOUNS:
            before = [m for m in self.persons if m.end <= tok.i]
            return [before[-1]] if before else []
        if tok.lower_ in FIRST_PERSON and tok.pos_ == "PRON":
            return self.speaker(tok, depth)
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            return self._direct(tok.head.head, depth + 1)
        for child in tok.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod") and child.i in tm:
                return [tm[child.i]]
        holder = self.title_holder(tok)
        if holder is not None:
            return [holder]
        for child in tok.children:
            if child.dep_ == "appos":  # "one of the candidates, Sandra Jephcott"
                found = self.mentions_of(child, depth + 1)
                if found:
                    return found
        named = self.named_as(tok, depth)
        if named:
            return named
        pobj = next(prep_objects(tok, ("of",)), None)
        return self.mentions_of(pobj, depth + 1) if pobj is not None else []

    def speaker(self, tok: Token, depth: int) -> list[Mention]:
        """'I', 'we' in reported speech: the subject of the reporting verb ('She said, "I have
        instructed ..."'), else nothing."""
        reporting = lexicon()["reporting_verbs"]
        cur = tok
        for _ in range(8):
            if cur.head.i == cur.i:
                return []
            dep, cur = cur.dep_, cur.head
            if cur.lemma_.lower() in reporting and dep in ("ccomp", "parataxis", "conj"):
                subj = [c for c in cur.children if c.dep_ == "nsubj"]
                if subj and subj[0].lower_ not in FIRST_PERSON:
                    return self.mentions_of(subj[0], depth + 1)
                return []
        return []

    def title_holder(self, tok: Token) -> Mention | None:
        """'the Prime Minister', 'the president': the latest person mentioned before with that
        title (an exact match of the title words, so 'Deputy Prime Minister' stays apart)."""
        if tok.ent_type_ != "TITLE" or not any(c.lower_ == "the" for c in tok.children):
            return None
        words = " ".join(t.lower_ for t in tok.subtree if t.ent_type_ == "TITLE")
        best = None
        for m in self.persons:
            title = self.actors.actors[m.actor_id].title
            if m.end <= tok.i and title is not None and title.lower() == words:
                best = m
        return best

    def named_as(self, tok: Token, depth: int) -> list[Mention]:
        """'the man, later identified as Khairi Saadallah': the name given by an 'identified as'
        or 'named as' participle on the phrase or, for an object, on its verb."""
        holders = [tok] + ([tok.head] if tok.dep_ in ("dobj", "nsubjpass") else [])
        for holder in holders:
            for verb in holder.children:
                if verb.tag_ != "VBN" or verb.lemma_.lower() not in NAMING_VERBS:
                    continue
                pobj = next(prep_objects(verb, ("as",)), None)
                if pobj is not None:
                    return self.mentions_of(pobj, depth + 1)
        return []

    def two_sides(self, at: int) -> list[Mention]:
        """'the two sides', 'both sides': the parties of the latest symmetric event with both
        stated (meetings, agreements), else the two most mentioned organisations/countries so
        far, each by its latest mention."""
        before = [(s, t) for i, s, t in self.pairs if i < at]
        if before:
            return list(before[-1])
        counts: dict[str, int] = {}
        latest: dict[str, Mention] = {}
        for m in self.actors.mentions:
            if m.start >= at or self.actors.actors[m.actor_id].kind == "person":
                continue
            counts[m.actor_id] = counts.get(m.actor_id, 0) + 1
            latest[m.actor_id] = m
        top = sorted(counts, key=lambda a: (-counts[a], latest[a].start))[:2]
        return [latest[a] for a in top] if len(top) == 2 else []

    def verb_args(self, verb: Token) -> tuple[list[Mention], list[Mention]]:
        """(sources, targets) of a verb trigger, active or passive."""
        children = list(verb.children)
        copular = copular_passive_subjects(verb)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN") or bool(copular)  # "negotiated by the US"
        if not passive and self.passive_participle(verb):
            # "X appeared in court, charged with murder"; "X was arrested and charged"
            sources = self.prep_targets(verb, ("by",))
            return sources, self.inherited_subject(verb)
        sources = []
        targets: list[Mention] = []
        if passive:
            for c in copular:
                targets += self.mentions_of(c)
            for c in children:
                if c.dep_ == "nsubjpass":
                    targets += self.mentions_of(c)
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            sources += self.mentions_of(p)
        else:
            for c in children:
                if c.dep_ in ("nsubj", "csubj"):
                    sources += self.mentions_of(c)
                elif c.dep_ in ("dobj", "dative"):
                    targets += self.mentions_of(c)
            if not any(c.dep_ in ("nsubj", "csubj", "expl") for c in children):
                sources = self.inherited_subject(verb)
        if verb.dep_ in ("acl", "relcl"):
            if verb.tag_ == "VBN":
                targets = targets or self.mentions_of(verb.head)
            elif not sources and not passive:
                sources = self.mentions_of(verb.head)
        if not targets:
            targets = self.prep_targets(verb, TARGET_PREPS)
        if not targets:  # "signed an agreement with the United States", "pledged funds to Syria"
            for obj in (c for c in children if c.dep_ == "dobj"):
                targets += self.prep_targets(obj, ("with", "against", "between", "to"))
        sources = [m for m in sources if m not in targets]
        subject_sides = any(c.dep_ == "nsubj" and c.lower_ == "sides" for c in children)
        if subject_sides and not targets and len(sources) == 2:
            sources, targets = sources[:1], sources[1:]  # "the two sides met": with each other
        return sources, targets

    @staticmethod
    def passive_participle(verb: Token) -> bool:
        """A subjectless past participle that reads passively: a participial clause ('...,
        charged with murder') or the conjunct of a passive verb ('was arrested and charged')."""
        if verb.tag_ != "VBN" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "expl")
                                     for c in verb.children):
            return False
        if verb.dep_ == "advcl":
            return not any(c.dep_ == "mark" for c in verb.children)
        return verb.dep_ == "conj" and any(c.dep_ in ("nsubjpass", "auxpass")
                                           for c in verb.head.children)

    def inherited_subject(self, verb: Token) -> list[Mention]:
        """Subject of the governing verb for xcomp/conj/advcl verbs ('agreed to release'), and
        for a gerund complement of a preposition ('he plans on leaving the EU'; of a noun, its
        possessor: 'the UK's efforts on leaving')."""
        cur = verb
        for _ in range(3):
            if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.i != cur.head.i:
                cur = cur.head.head
                if cur.pos_ in ("NOUN", "PROPN"):
                    poss = [c for c in cur.children if c.dep_ == "poss"]
                    return self.mentions_of(poss[0]) if poss else []
            elif cur.dep_ not in ("xcomp", "conj", "advcl") or cur.head.i == cur.i:
                return []
            else:
                cur = cur.head
            subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                if cur.lemma_.lower() in lexicon()["reporting_verbs"] and verb.dep_ == "ccomp":
                    return []
                return self.mentions_of(subj[0])
        return []

    def prep_targets(self, head: Token, preps: tuple[str, ...]) -> list[Mention]:
        """Actors in prepositional complements ('with the Taliban', 'against Iran')."""
        out: list[Mention] = []
        for p in prep_objects(head, preps):
            out += self.mentions_of(p)
        return out

    def noun_args(self, noun: Token, event_type: str) -> tuple[list[Mention], list[Mention]]:
        """(sources, targets) of a nominal trigger. The possessor is the victim of an attack or
        arrest ('Nabil's murder', 'his arrest', 'his trial') and the agent of anything else; the
        'of' complement is the agent of intransitive events ('resignation of X', 'withdrawal of
        forces') and the patient otherwise ('release of prisoners')."""
        lex = lexicon()
        tm = self.actors.token_mention
        key = noun.lower_ if noun.lower_ in lex["nouns"] else noun.lemma_.lower()
        sources: list[Mention] = []
        possessed: list[Mention] = []
        for c in noun.children:
            if c.dep_ == "poss":
                possessed += self.mentions_of(c)
            elif c.dep_ in ("compound", "amod", "nmod") and c.i in tm:
                sources.append(tm[c.i])
            if c.dep_ == "prep" and c.lower_ == "by":
                for p in c.children:
                    if p.dep_ == "pobj":
                        sources += self.mentions_of(p)
        if key in lex["of_is_source"]:
            sources += [m for m in self.prep_targets(noun, ("of",)) if m not in sources]
            targets = self.prep_targets(noun, tuple(p for p in NOUN_TARGET_PREPS if p != "of"))
        else:
            targets = self.prep_targets(noun, NOUN_TARGET_PREPS)
        if event_type in lex["possessor_is_target"] or key in lex["possessor_target_nouns"]:
            targets = possessed + [m for m in targets if m not in possessed]
        else:
            sources = possessed + sources
        between = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"]
        if between and not sources and len(targets) >= 2:
            sources, targets = targets[:1], targets[1:]
        head = noun.head
        if not sources and noun.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
            lemma = head.lemma_.lower()
            if lemma in lex["patient_verbs"]:  # "he survived an attack": he is the target
                if not targets:
                    targets = self.verb_args(head)[0]
            elif lemma not in lex["no_agent_verbs"] and lemma not in lex["reporting_verbs"]:
                sources, more = self.verb_args(head)
                sources = [m for m in sources if m not in targets]
                targets = targets or [m for m in more if m.start != noun.i]
        return sources, targets
