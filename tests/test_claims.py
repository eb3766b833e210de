"""Claims: claimant, channel, unattributed reports, nesting, denial, contradictions."""

import pytest

pytestmark = pytest.mark.model


def test_person_says_on_a_platform(run):
    found = run("Presidential adviser Oleksiy Arestovych said on YouTube that Russian troops "
                "fled Kupiansk.")
    retreat = found.event("Retreat")
    [claim] = found.claims_of(retreat)
    assert found.label(claim.claimant) == "Oleksiy Arestovych"
    assert found.label(claim.channel) == "YouTube"


def test_report_by_a_media_outlet(run):
    found = run("A report by CNN said that Izium is still being defended by Russian proxies.")
    [claim] = found.claims_of(found.event("Defend"))
    assert found.label(claim.claimant) == "CNN"


def test_some_are_saying_has_no_claimant(run):
    found = run("Some are saying that Kupiansk has been liberated.")
    [claim] = found.claims_of(found.event("TakeControl"))
    assert claim.claimant is None


def test_reportedly_is_an_unattributed_claim(run):
    found = run("Russian forces reportedly captured Popasna.")
    [claim] = found.claims_of(found.event("TakeControl"))
    assert claim.claimant is None


def test_according_to(run):
    found = run("Ukrainian forces repelled a Russian assault near Bakhmut, according to the "
                "Ukrainian General Staff.")
    staff = found.entity("Ukrainian General Staff")
    claims = [c for e in found.ex.events for c in found.claims_of(e)]
    assert claims and all(c.claimant == staff.key for c in claims)


def test_nested_report_credits_the_inner_speaker(run):
    found = run("The Ukrainian General Staff reported that Russian milbloggers claimed "
                "Ukrainian forces captured Lyman.")
    [claim] = found.claims_of(found.event("TakeControl"))
    assert claim.claimant is None or found.label(claim.claimant) != "Ukrainian General Staff"


def test_denial_negates_the_claimed_event(run):
    found = run("The Russian Ministry of Defense denied that its forces had retreated from Izium.")
    retreat = found.event("Retreat")
    assert retreat.modality == "Negated"
    [claim] = found.claims_of(retreat)
    assert found.label(claim.claimant) == "Russian Ministry of Defense"


def test_background_modifiers_are_not_claimed(run):
    found = run("Arestovych said that the Russian line defending Balakliya fled.")
    defend = found.event("Defend")
    assert found.claims_of(defend) == []
    assert found.claims_of(found.event("Retreat"))


def test_liberated_against_still_defended_is_a_contradiction(run):
    found = run("Some are saying that Kupiansk has been liberated. A report by CNN said that "
                "Kupiansk is still being defended by Russian proxies.")
    taken, held = found.event("TakeControl"), found.event("Defend")
    pairs = {frozenset(p) for p in found.ex.contradictions}
    assert frozenset({taken.key, held.key}) in pairs
