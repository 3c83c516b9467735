"""Forms offer only what the case's type, track and state allow, and the assign form says who
each handler is and how much they already carry."""

from __future__ import annotations

from hexie.cases.forms import ActionForm
from hexie.cases.models import Attachment


def _conclusions(form: ActionForm) -> set[str]:
    return {v for v, _ in form.fields["conclusion"].choices if v}


def test_an_inspection_case_is_offered_no_arbitration_conclusion_or_outcome(make_case, users):
    case = make_case("in_handling", track="inspection")
    form = ActionForm(user=users["handler"], case=case)
    assert "awarded" not in _conclusions(form) and "order_issued" in _conclusions(form)
    assert "outcome" not in form.fields and "dispute_cause" not in form.fields


def test_an_arbitration_case_is_offered_the_award_and_its_outcome(make_case, users):
    case = make_case("in_handling", track="arbitration", case_type="labour_dispute")
    form = ActionForm(user=users["handler"], case=case)
    assert "awarded" in _conclusions(form) and "order_issued" not in _conclusions(form)
    assert "outcome" in form.fields and "dispute_cause" in form.fields


def test_an_award_posted_on_an_inspection_case_is_refused_by_name(client, make_case, users):
    case = make_case("in_handling", track="inspection")
    client.force_login(users["handler"])
    page = client.post(f"/cases/{case.pk}/act/resolve/", {"conclusion": "awarded", "version": case.version},
                       follow=True).content.decode()
    case.refresh_from_db()
    assert case.status == "in_handling" and "办结结论" in page


def test_the_assign_form_lists_handlers_with_role_kind_and_caseload_but_not_the_leader(make_case, users):
    case = make_case("accepted")
    make_case("in_handling", complainant_phone="13900000601")  # one open case on the handler's desk
    form = ActionForm(user=users["leader"], case=case)
    labels = [label for _, label in form.fields["handler"].choices if _]
    assert users["leader"].display_name not in " ".join(labels)
    mine = next(label for label in labels if label.startswith(users["handler"].display_name))
    assert "承办人" in mine or "Handler" in mine or "·" in mine
    assert "在办 1 件" in mine
    other = next(label for label in labels if label.startswith(users["handler2"].display_name))
    assert "在办 0 件" in other


def test_a_closed_case_offers_no_evidence_upload_and_refuses_one(client, make_case, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case("closed")
    client.force_login(users["desk"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="file"' not in page
    upload = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    client.post(f"/cases/{case.pk}/attachments/", {"file": upload})
    assert not Attachment.objects.filter(case=case).exists()


def test_an_open_case_still_takes_evidence(client, make_case, users):
    case = make_case("in_handling")
    client.force_login(users["desk"])
    assert 'name="file"' in client.get(f"/cases/{case.pk}/").content.decode()
