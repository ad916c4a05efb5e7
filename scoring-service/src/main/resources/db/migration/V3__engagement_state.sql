-- Per-rule engagement sums of the lead under the model that scored it (service.engine.EngagementSums, encoded
-- as text): batch scoring adds new activities to them instead of reloading the lead's whole history.
-- Null (old rows, another model) means: rebuild from lead_activity on the next event.
alter table lead_score add column engagement_state text;
