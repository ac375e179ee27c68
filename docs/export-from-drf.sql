-- The old DRF service's codes and tokens, as `import codes` and `import tokens` read them.
-- Run in the folder the files should land in:  psql "$OLD_DATABASE_URL" -f export-from-drf.sql
-- The OTP model's table and its permission codenames are placeholders: set them below
-- (`python manage.py sqlmigrate <app> 0001` names the table; Django's codenames are
-- add_<model>, view_<model> and change_<model>).
\set otp_table notifications_otpcode
\set add_codename 'add_otpcode'
\set view_codename 'view_otpcode'
\set change_codename 'change_otpcode'

-- Times in UTC ("+00"); the import reads any offset psql writes, this only makes the files easier to read.
SET TIME ZONE 'UTC';

-- Codes, oldest id first (the import writes ids of one quantum together).
CREATE TEMP VIEW otp_codes_export AS
  SELECT id, code, mobile_number, email, valid_to, created_at, updated_at FROM :otp_table ORDER BY id;
\copy (SELECT * FROM otp_codes_export) TO 'codes.csv' CSV HEADER

-- The old service's permission checks, by codename, and the codes the new one knows them by.
CREATE TEMP TABLE otp_permission_codes (codename text NOT NULL, code int NOT NULL, PRIMARY KEY (codename, code));
INSERT INTO otp_permission_codes VALUES (:'add_codename', 2851), (:'view_codename', 2852), (:'change_codename', 2853);

-- Each token with its user's flags and permission codes: its own and its groups'.
CREATE TEMP VIEW otp_tokens_export AS
  SELECT t.key, u.is_active, u.is_staff, u.is_superuser,
         COALESCE((SELECT string_agg(DISTINCT m.code::text, ',')
                   FROM otp_permission_codes m
                   JOIN auth_permission p ON p.codename = m.codename
                   WHERE p.id IN (SELECT up.permission_id FROM auth_user_user_permissions up WHERE up.user_id = u.id
                                  UNION
                                  SELECT gp.permission_id FROM auth_user_groups ug
                                  JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
                                  WHERE ug.user_id = u.id)), '') AS permissions,
         u.username AS name
  FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id;
\copy (SELECT * FROM otp_tokens_export) TO 'tokens.csv' CSV HEADER
