"""A draft Algorithmic Transparency Recording Standard (ATRS) record from the project and the run.

Tier 1 is the short public summary; tier 2 the detail: owner and responsibility, description and
rationale, decision-making process, tool and model specification, data, risks and mitigations. Fields
oda cannot know (a web address, the senior responsible owner's name) are left as "TO COMPLETE" so
the governance officer sees what is missing; everything else comes from `oda.toml` and the run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oda.features.registry import family

if TYPE_CHECKING:
    from oda.project.load import LoadedProject

TO_COMPLETE = "TO COMPLETE"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def transparency_record(project: "LoadedProject", evaluation: dict) -> dict:
    """Tier 1 and tier 2 fields as a dict of plain strings and lists."""
    config = project.config
    charter = config.charter
    council = next((o.name for o in config.organisations.values() if o.kind == "council"), TO_COMPLETE)
    model = evaluation.get("model", {})
    methods = evaluation.get("methods", {})
    exploration = evaluation.get("exploration", {})
    families = [family(name) for name in config.features.families]
    performance = (
        f"At a capacity of {evaluation.get('capacity')} visits: "
        + "; ".join(f"{name} {_pct(m.get('precision_at_capacity', m.get('label_hit_rate')))}"
                    for name, m in methods.items())
        + (f". Exploration slice estimate {_pct(exploration.get('estimate'))} "
           f"(95% CI {_pct(exploration.get('ci_low'))}–{_pct(exploration.get('ci_high'))})." if exploration else ".")
    )
    tier_1 = {
        "name": charter.title or config.name,
        "description": (f"{charter.problem} The tool ranks properties for {charter.owner or 'the service'} so that "
                        f"{charter.decision.lower() if charter.decision else 'visits are prioritised'}; every flag "
                        "carries plain-language reasons and officers decide whether and how to act."),
        "website": TO_COMPLETE,
        "contact_email": next((o.contact for o in config.organisations.values() if o.contact), TO_COMPLETE),
        "organisation": council,
        "function": "Housing: private sector housing enforcement (HMO licensing)",
        "phase": "Pilot",
    }
    tier_2 = {
        "owner_and_responsibility": {
            "organisation_and_team": f"{council}: {charter.owner or TO_COMPLETE}",
            "senior_responsible_owner": charter.owner or TO_COMPLETE,
            "external_supplier": "None: built with oda, open-source software run inside the council's network",
            "data_access_terms": [f"{key}: {a.title} ({a.lawful_basis}, retention {a.retention_days} days)"
                                  for key, a in config.agreements.items()],
        },
        "description_and_rationale": {
            "detailed_description": charter.problem,
            "scope": charter.information_product,
            "benefit": charter.outcome_measure,
            "alternatives_considered": "Complaint-driven inspection (today's practice) and an expert-rule checklist; "
                                       "both are measured beside the model in every evaluation.",
        },
        "decision_making_process": {
            "process_integration": charter.intervention,
            "provided_information": "A ranked worklist with a calibrated probability, a band and the reasons "
                                    "behind each flag, grouped by ward or street.",
            "frequency_and_scale": f"Worklists of {config.worklist.capacity} properties; "
                                   f"{_pct(config.worklist.exploration_share)} of each list is drawn at random.",
            "human_decisions_and_review": "Officers decide whether to visit and what to do; the score is never the "
                                          "sole basis for action. Visit outcomes are recorded and feed retraining.",
            "required_training": TO_COMPLETE,
            "appeals_and_review": "Enforcement decisions follow the council's existing appeal routes; "
                                  "residents are not scored as individuals.",
        },
        "tool_specification": {
            "system_architecture": "oda: DuckDB (or Spark) pipeline from partner extracts to address-matched "
                                   "features, scores and worklists; web app for officers.",
            "phase": "Pilot",
            "maintenance": "Retrained at every `oda score` run with the outcomes recorded since.",
        },
        "model_specification": {
            "model_name": "HMO likelihood",
            "model_version": evaluation.get("model_version", TO_COMPLETE),
            "model_task": "Rank properties by the probability of being an unlicensed house in multiple occupation.",
            "model_input": [f"{f.name}: {f.description}" for f in families],
            "model_output": "A calibrated probability per property, a band (high/medium/low) and reasons.",
            "model_architecture": "Gradient-boosted trees (LightGBM) with inverse-propensity weights for "
                                  "complaint-driven inspections, licence-register positives down-weighted, unknown "
                                  "outcomes never treated as negative, and Platt calibration on out-of-fold scores.",
            "model_performance": performance,
            "training_data": model.get("label_counts", {}),
        },
        "data_specification": {
            "source_data": [f"{name}: {s.description or s.describes} ({config.organisations[s.organisation].name if s.organisation in config.organisations else s.organisation})"
                            for name, s in config.sources.items()],
            "data_modality": "Tabular records about properties, people and businesses",
            "sensitive_attributes": "Names and addresses are used to link records and are not model inputs; no "
                                    "protected characteristic is a model input. Fairness is reported by ward and "
                                    "deprivation decile.",
            "data_completeness_and_representativeness": "Labels come from complaint-led inspections and the "
                                                        "licence register, so they are biased; see the exploration "
                                                        "slice estimate for an unbiased check.",
            "data_sharing_agreements": [a.reference or key for key, a in config.agreements.items()],
            "dpia": charter.governance.dpia_reference or TO_COMPLETE,
        },
        "risks_mitigations_and_impact_assessments": {
            "impact_assessment": f"DPIA {charter.governance.dpia_reference or TO_COMPLETE}, reviewed by "
                                 f"{charter.governance.reviewed_by or TO_COMPLETE}",
            "risks": [
                "Feedback loop: a model trained on past targeting repeats it. Mitigation: inverse-propensity "
                "weights and a random exploration slice in every worklist.",
                "Complaints standing in for where complainers live. Mitigation: the complaint-proxy check in every "
                "evaluation and a model fitted without complaint features for comparison.",
                "Uneven attention across areas. Mitigation: flag rates and hit rates by ward and deprivation decile, "
                "with small numbers suppressed.",
                "Wrong address matches. Mitigation: only confident matches feed features; reviewed matches in the app.",
            ],
        },
    }
    return {"standard": "UK Algorithmic Transparency Recording Standard (draft generated by oda)",
            "tier_1": tier_1, "tier_2": tier_2}
