# Option 1: NAT Gateway (coûteux)
# Option 2: VPC Endpoints (recommandé)
aws ec2 create-vpc-endpoint \
  --vpc-id vpc-xxx \
  --service-name com.amazonaws.eu-west-3.ecr.dkr \
  --vpc-endpoint-type Interface

aws ec2 create-vpc-endpoint \
  --vpc-id vpc-xxx \
  --service-name com.amazonaws.eu-west-3.ecr.api \
  --vpc-endpoint-type Interface
