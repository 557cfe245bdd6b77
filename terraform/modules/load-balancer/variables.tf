variable "name" {
  description = "Name of the load balancer and prefix of its resources' names, e.g. booking-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "vpc_cidr_block" {
  description = "The VPC's address range: where the load balancer may send requests."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets, in at least two availability zones."
  type        = list(string)
}

variable "target_port" {
  description = "The gateway's port."
  type        = number
}

variable "domain_name" {
  description = "The API's host name, e.g. booking.example.se; the certificate is issued for it."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of domain_name: certificate validation and the alias record."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer."
  type        = bool
}
