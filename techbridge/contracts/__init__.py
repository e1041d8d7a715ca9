"""Technology contracts, contract registration (技术合同认定登记) and turnover statistics."""
