-- Roles (DESIGN §2): what a user may do. The users there before roles are admins, as they could do
-- everything; a user created since names its role. An API token may carry a lower role than its
-- user's (null: the user's).
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin' CHECK (role IN ('viewer', 'op', 'admin'));
ALTER TABLE auth_tokens ADD COLUMN role TEXT CHECK (role IN ('viewer', 'op', 'admin'));
