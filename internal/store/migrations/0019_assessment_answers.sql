-- The answers to each requirement's self-assessment questions, kept with
-- the result as a JSON list (question number, question, reply, note).
ALTER TABLE assessment_results ADD COLUMN answers TEXT NOT NULL DEFAULT '[]';
