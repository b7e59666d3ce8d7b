aws sts get-caller-identity
{
  "Effect": "Allow"
}
