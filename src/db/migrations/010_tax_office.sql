-- The tax office that manages the center (cơ quan thuế quản lý): error
-- notices 04/SS-CTĐT are addressed to it by code and name.
ALTER TABLE center ADD COLUMN tax_office_code text;
ALTER TABLE center ADD COLUMN tax_office_name text;
