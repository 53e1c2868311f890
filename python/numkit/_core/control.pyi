# numkit._core.control: empty; numkit.control is pure Python on numkit.quadrature.
