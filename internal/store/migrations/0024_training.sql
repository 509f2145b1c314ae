-- Competence, training and awareness (7.2, 7.3). A competence is
-- required, at a level, of roles (their codes, comma-separated) and of
-- teams (competence_teams); courses teach competences
-- (course_competences); a course runs in sessions; each person's place on
-- a course is a completion, with its certificate's expiry; a competence
-- may also be assessed directly (competence_appraisals).
CREATE TABLE competences (
    id {{id}},
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    level BIGINT NOT NULL DEFAULT 2,
    roles TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX competences_name ON competences (name);

CREATE TABLE competence_teams (
    competence_id BIGINT NOT NULL REFERENCES competences (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (competence_id, team_id)
);
CREATE INDEX competence_teams_team ON competence_teams (team_id);

CREATE TABLE courses (
    id {{id}},
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    provider TEXT NOT NULL DEFAULT '',
    level BIGINT NOT NULL DEFAULT 2,
    validity_months BIGINT NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX courses_title ON courses (title);

CREATE TABLE course_competences (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    competence_id BIGINT NOT NULL REFERENCES competences (id),
    PRIMARY KEY (course_id, competence_id)
);
CREATE INDEX course_competences_competence ON course_competences (competence_id);

CREATE TABLE course_sessions (
    id {{id}},
    course_id BIGINT NOT NULL REFERENCES courses (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL DEFAULT '',
    trainer TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    online BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX course_sessions_course ON course_sessions (course_id, starts_on);

CREATE TABLE course_completions (
    id {{id}},
    course_id BIGINT NOT NULL REFERENCES courses (id),
    session_id BIGINT REFERENCES course_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL DEFAULT 'enrolled',
    completed_on TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX course_completions_course ON course_completions (course_id, status);
CREATE UNIQUE INDEX course_completions_session_user ON course_completions (session_id, user_id);
CREATE INDEX course_completions_user ON course_completions (user_id);
CREATE INDEX course_completions_expiry ON course_completions (status, expires_on);

CREATE TABLE competence_appraisals (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    competence_id BIGINT NOT NULL REFERENCES competences (id),
    level BIGINT NOT NULL,
    assessed_on TEXT NOT NULL,
    expires_on TEXT NOT NULL DEFAULT '',
    assessor_id BIGINT NOT NULL REFERENCES users (id),
    notes TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    updated_at {{timestamp}} NOT NULL,
    updated_by BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX competence_appraisals_user ON competence_appraisals (user_id);
CREATE INDEX competence_appraisals_competence ON competence_appraisals (competence_id);
