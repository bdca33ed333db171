-- A tag whose own definition is unchanged gets a new version when a tag it is computed from does (its values change
-- with it): `follows` names those tags; null for a version of a changed definition.
ALTER TABLE tag_definitions ADD COLUMN follows text[];
