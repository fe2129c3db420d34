"""What the staff page of a company shows about its representative, for tracker/review."""

from tracker.auth.decisions import may_decide
from tracker.auth.models import Decision, User
from tracker.companies.models import Company
from tracker.representatives import services
from tracker.representatives.forms import AssignForm


def representative_panel(
    company: Company, user: User, assign_form: AssignForm | None = None
) -> dict:
    """The assignment form (ECPAT staff only) and whether to offer a recommendation.

    `assign_form` is one refused, shown again with its error.
    """
    if not may_decide(user, Decision.ASSIGN_REPRESENTATIVE):
        assign_form = None
    elif assign_form is None:
        assign_form = AssignForm(
            data={"representative": str(company.representative_id or "")}
        ).set_organisations(services.list_representatives())
    return {
        "assign_form": assign_form,
        "may_recommend": services.may_recommend(company, user),
        "recommendations": services.recommendations(company) if company.awaits_review else [],
    }
