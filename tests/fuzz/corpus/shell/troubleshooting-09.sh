# Vérifier Security Group permet outbound
aws ec2 describe-security-groups \
  --group-ids sg-xxx \
  --query 'SecurityGroups[0].IpPermissionsEgress'

# Doit avoir outbound 0.0.0.0/0 pour ECR, CloudWatch, etc.

# Ajouter si manquant
aws ec2 authorize-security-group-egress \
  --group-id sg-xxx \
  --protocol -1 \
  --cidr 0.0.0.0/0
