# 1. Tasks et RDS dans le même VPC ?

# 2. Security Group RDS autorise le SG des tasks ?
aws ec2 authorize-security-group-ingress \
  --group-id sg-rds-xxx \
  --protocol tcp \
  --port 5432 \
  --source-group sg-ecs-xxx
