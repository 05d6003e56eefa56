"""先审后发 around the pipeline: the sign-off record, the last publication, the 审核表 and the hand-off zip."""
