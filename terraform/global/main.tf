# What the environments share, applied once per AWS account before them: one ECR repository per
# service, and the roles GitHub Actions assumes through OIDC (no stored AWS keys) to push images
# (main only) and to deploy each environment (its GitHub environment only).

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The bucket and its region come from `terraform init -backend-config=…`.
  backend "s3" {
    key          = "booking-platform/global.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

locals {
  region = "eu-north-1"
  # One repository per service, named <prefix>/<service> as modules/platform expects.
  services = toset([
    "gateway",
    "scheduling",
    "provider-cliniq",
    "provider-fhir",
    "provider-rivta",
    "provider-smart",
    "simulator-cliniq",
    "simulator-fhir",
    "simulator-rivta",
    "simulator-smart",
    "provider-square",
    "simulator-square",
  ])
  environments = toset(["dev", "staging", "prod"])
  github       = "token.actions.githubusercontent.com"
}

provider "aws" {
  region = local.region

  default_tags {
    tags = {
      Project = "booking-platform"
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_ecr_repository" "service" {
  for_each             = local.services
  name                 = "booking-platform/${each.key}"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_lifecycle_policy" "service" {
  for_each   = aws_ecr_repository.service
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Untagged layers of interrupted pushes"
      selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://${local.github}"
  client_id_list = ["sts.amazonaws.com"]
}

# Pushes images: the release workflow's build job, on main.
data "aws_iam_policy_document" "push_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.github}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.github}:sub"
      values   = ["repo:${var.github_repository}:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "push" {
  name               = "booking-platform-push-images"
  assume_role_policy = data.aws_iam_policy_document.push_trust.json
}

data "aws_iam_policy_document" "push" {
  statement {
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [for repository in aws_ecr_repository.service : repository.arn]
  }
}

resource "aws_iam_role_policy" "push" {
  name   = "push-images"
  role   = aws_iam_role.push.id
  policy = data.aws_iam_policy_document.push.json
}

# Deploys one environment: only jobs of the GitHub environment of the same name (production's
# needs a reviewer's approval there). Terraform manages most kinds of resources, so the role has
# PowerUserAccess; IAM only for the environment's own roles and policies, and its own state.
data "aws_iam_policy_document" "deploy_trust" {
  for_each = local.environments
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.github}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.github}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.key}"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  for_each           = local.environments
  name               = "booking-platform-deploy-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.deploy_trust[each.key].json
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each   = local.environments
  role       = aws_iam_role.deploy[each.key].name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy_document" "deploy" {
  for_each = local.environments
  statement {
    sid     = "OwnRolesAndPolicies"
    actions = ["iam:*"]
    resources = [
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/booking-${each.key}-*",
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/booking-${each.key}-*",
    ]
  }
  statement {
    sid       = "State"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::${var.state_bucket}/booking-platform/${each.key}.tfstate*"]
  }
  statement {
    sid       = "StateBucket"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.state_bucket}"]
  }
}

resource "aws_iam_role_policy" "deploy" {
  for_each = local.environments
  name     = "deploy-${each.key}"
  role     = aws_iam_role.deploy[each.key].id
  policy   = data.aws_iam_policy_document.deploy[each.key].json
}
